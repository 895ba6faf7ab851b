using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The output of <see cref="ResamplingCatalog.Resample"/>: a feature vector column and a label column held in memory —
/// features row-major in one array, labels per row (the first <c>count</c> rows of both) — read with no per-row allocation. Column types and annotations are the source's.
/// </summary>
internal sealed class ResampledDataView<TLabel> : IDataView
{
    private readonly float[] _features;
    private readonly int _dimension;
    private readonly TLabel[] _labels;
    private readonly int _count;

    public ResampledDataView(DataViewSchema.Column featureColumn, DataViewSchema.Column labelColumn, float[] features, int dimension, TLabel[] labels, int count)
    {
        _count = count;
        _features = features;
        _dimension = dimension;
        _labels = labels;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumn.Name, featureColumn.Type, featureColumn.Annotations);
        builder.AddColumn(labelColumn.Name, labelColumn.Type, labelColumn.Annotations);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ResampledDataView<TLabel> parent) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext() => ++_position < parent._count;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 1)
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<TLabel>)((ref TLabel value) => value = parent._labels[_position]);
            int d = parent._dimension;
            if (column.Type is not VectorDataViewType)
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float value) => value = parent._features[_position]);
            return (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, d);
                parent._features.AsSpan((int)(_position * d), d).CopyTo(editor.Values);
                value = editor.Commit();
            });
        }
    }
}
