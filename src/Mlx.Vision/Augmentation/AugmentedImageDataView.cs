using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using Mlx.Core.Errors;

namespace Mlx.Vision;

/// <summary>
/// Training data with augmented images: every source row is followed by <c>K</c> variants of it (and,
/// by default, kept itself), the image column replaced by a randomly transformed copy and every other
/// column (label, weights...) repeated. Being data, not a transformer, it never becomes part of a
/// saved model, so prediction never augments. Variant <c>v</c> of row <c>i</c> is drawn from a generator
/// seeded by (seed, i, v): every pass over the data yields the same images.
/// </summary>
public sealed class AugmentedImageDataView : IDataView
{
    private readonly IDataView _source;
    private readonly int _imageColumn;
    private readonly ImageAugmentationOptions _options;
    private readonly int _variants;
    private readonly bool _keepOriginal;
    private readonly int _seed;

    internal AugmentedImageDataView(IDataView source, string imageColumnName, ImageAugmentationOptions options, int variantsPerImage, bool keepOriginal, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (variantsPerImage < 1)
            throw new ArgumentOutOfRangeException(nameof(variantsPerImage), variantsPerImage, "Ask for at least one augmented variant per image.");
        var column = source.Schema.GetColumnOrNull(imageColumnName)
            ?? throw MlxError.MissingColumn(imageColumnName, source.Schema.Select(c => c.Name), "imageColumnName");
        if (column.Type is not ImageDataViewType)
            throw MlxError.WrongColumnType(imageColumnName, "an image column", $"{column.Type}", "Load images first with mlContext.Transforms.LoadImages.");
        _source = source;
        _imageColumn = column.Index;
        _options = options;
        _variants = variantsPerImage;
        _keepOriginal = keepOriginal;
        _seed = seed;
    }

    /// <summary>The source schema (the image column keeps its name and type).</summary>
    public DataViewSchema Schema => _source.Schema;

    /// <summary>False: variants follow their source row.</summary>
    public bool CanShuffle => false;

    /// <summary>Source rows × (variants + 1 when originals are kept).</summary>
    public long? GetRowCount() => _source.GetRowCount() * RowsPerImage;

    private int RowsPerImage => _variants + (_keepOriginal ? 1 : 0);

    /// <summary>A cursor over originals and variants.</summary>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, _source.GetRowCursor(columnsNeeded.Select(c => _source.Schema[c.Index]).ToArray()));

    /// <summary>One cursor (the variants of a row are produced together).</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly AugmentedImageDataView _parent;
        private readonly DataViewRowCursor _source;
        private readonly ValueGetter<MLImage>? _image;
        private MLImage? _original, _current;
        private long _sourceRow = -1, _position = -1;
        private int _variant;
        private bool _imageReady;

        public Cursor(AugmentedImageDataView parent, DataViewRowCursor source)
        {
            _parent = parent;
            _source = source;
            if (source.IsColumnActive(source.Schema[parent._imageColumn]))
                _image = source.GetGetter<MLImage>(source.Schema[parent._imageColumn]);
            _variant = parent.RowsPerImage; // forces a source move on the first MoveNext
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => _source.Batch;

        public override bool MoveNext()
        {
            if (++_variant >= _parent.RowsPerImage)
            {
                if (!_source.MoveNext())
                    return false;
                _variant = 0;
                _sourceRow++;
                _original = null;
            }
            _imageReady = false;
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
        {
            var sourceId = _source.GetIdGetter();
            return (ref DataViewRowId id) =>
            {
                DataViewRowId original = default;
                sourceId(ref original);
                id = original.Combine(new DataViewRowId((ulong)_variant, 0));
            };
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _source.IsColumnActive(_source.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _parent._imageColumn)
                return _source.GetGetter<TValue>(_source.Schema[column.Index]);
            ValueGetter<MLImage> getter = (ref MLImage value) => value = CurrentImage()!;
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds images; it cannot be read as {typeof(TValue).Name}.");
        }

        private MLImage? CurrentImage()
        {
            if (_imageReady)
                return _current;
            if (_original == null)
            {
                MLImage? image = null;
                _image!(ref image!);
                _original = image;
            }
            int augmented = _variant - (_parent._keepOriginal ? 1 : 0);
            if (augmented < 0 || _original == null)
            {
                _current = _original;
            }
            else
            {
                var random = new Random(HashCode.Combine(_parent._seed, _sourceRow, augmented));
                var options = _parent._options;
                var draw = AffineAugmentation.Draw(options, _original.Width, _original.Height, random);
                _current = ImageAugmenter.Apply(_original, draw, options.FillMode, options.FillValue);
            }
            _imageReady = true;
            return _current;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _source.Dispose();
            base.Dispose(disposing);
        }
    }
}
