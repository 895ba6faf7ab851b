using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Numerics;

namespace Mlx.Estimators;

/// <summary>
/// Features, targets and weights of a data view read once, checked on the way: finite features and labels,
/// known feature size, label type fitting the task, at least one row. Features go straight into one tensor
/// (rows counted first, then each row written into the tensor's storage): no managed copy of a data set that
/// may be gigabytes (25,000 × 10,000 multi-hot rows: 8 s with list-and-copy reading, now ~1 s).
/// </summary>
internal sealed class TrainingData : IDisposable
{
    private const int BlockValues = 1 << 22; // rows are written through spans over blocks of ~16 MB of the tensor
    private const int DensitySampleRows = 256;
    private readonly TorchSharp.torch.Tensor? _features;
    private readonly SparseRows? _sparse;
    private readonly int _firstRow;
    private readonly bool _ownsFeatures;

    private TrainingData(TorchSharp.torch.Tensor? features, SparseRows? sparse, bool owns, int firstRow, int rows, int dimension, int targetWidth, float[] targets, float[]? weights)
    {
        TargetWidth = targetWidth;
        _features = features;
        _sparse = sparse;
        _ownsFeatures = owns;
        _firstRow = firstRow;
        Rows = rows;
        Dimension = dimension;
        Targets = targets;
        Weights = weights;
    }

    /// <summary>Whether the features are held as sparse rows (see <see cref="SparseInput"/>).</summary>
    public bool IsSparse => _sparse != null;

    public int Rows { get; }
    public int Dimension { get; }
    /// <summary>Per row, <see cref="TargetWidth"/> values: 0/1 for binary and multilabel, the class index for multiclass, the values for regression.</summary>
    public float[] Targets { get; }

    /// <summary>Label values per row: 1, or the label vector's size.</summary>
    public int TargetWidth { get; }
    public float[]? Weights { get; }

    /// <summary>The feature size of a column, or a clear error.</summary>
    public static int FeatureSize(DataViewSchema schema, string name) => FeatureColumn.Size(schema, name);

    /// <summary>The size of a known-size vector label (multilabel, vector regression) or a clear error.</summary>
    public static int LabelWidth(DataViewSchema schema, string label, NeuralNetworkTask task)
    {
        var column = schema.GetColumnOrNull(label) ?? throw MlxError.MissingColumn(label, schema.Select(c => c.Name), "NeuralNetworkOptions.LabelColumnName");
        CheckLabelType(column, task);
        return column.Type is VectorDataViewType v ? v.Size : 1;
    }

    /// <summary>The number of classes of a key label (multiclass) or a clear error.</summary>
    public static int ClassCount(DataViewSchema schema, string label)
    {
        var column = schema.GetColumnOrNull(label) ?? throw MlxError.MissingColumn(label, schema.Select(c => c.Name), "NeuralNetworkOptions.LabelColumnName");
        return column.Type is KeyDataViewType key && key.Count > 0
            ? checked((int)key.Count)
            : throw MlxError.WrongColumnType(label, "a key (class index) column", $"{column.Type}", $"Map the classes to keys first: mlContext.Transforms.Conversion.MapValueToKey(\"{label}\").");
    }

    /// <summary>
    /// Whether to hold <paramref name="data"/>'s features as sparse rows: as <see cref="NeuralNetworkOptions.SparseInput"/> says,
    /// or for <see cref="SparseInput.Auto"/> when the first layer is Dense and the first rows are at most 5 % non-zero.
    /// </summary>
    public static bool ChooseSparse(IDataView data, NeuralNetworkOptions options, out double density)
    {
        // Sparse rows feed the first Dense layer directly: not when the features are first viewed as an image.
        bool firstLayerDense = options.InputShape == null && (options.Layers.Count == 0 || options.Layers[0] is DenseLayer);
        var column = data.Schema[options.FeatureColumnName];
        if (FeatureColumn.HoldsTokenIds(data.Schema, options.FeatureColumnName))
        {
            if (options.SparseInput == SparseInput.Sparse)
                throw new ArgumentException("Token ids feed an Embedding as a dense (batch, timesteps) tensor: SparseInput.Sparse does not apply.");
            density = double.NaN;
            return false;
        }
        density = options.SparseInput == SparseInput.Dense ? double.NaN : SparseRows.Density(data, column, DensitySampleRows);
        if (data.Schema.GetColumnOrNull(options.FeatureColumnName)?.Type is ImageDataViewType)
        {
            if (options.SparseInput == SparseInput.Sparse)
                throw new ArgumentException("An image column is read as dense pixel planes: SparseInput.Sparse does not apply.");
            density = double.NaN;
            return false;
        }
        if (options.Augmentation != null)
        {
            if (options.SparseInput == SparseInput.Sparse)
                throw new ArgumentException("NeuralNetworkOptions.Augmentation changes dense batches: it cannot be combined with SparseInput.Sparse.");
            density = double.NaN;
            return false; // augmented batches are dense
        }
        if (options.SparseInput == SparseInput.Sparse && !firstLayerDense)
            throw new ArgumentException(options.InputShape != null
                ? "SparseInput.Sparse feeds the non-zero features to a first Dense layer, but InputShape views them as an image: use SparseInput.Auto or Dense."
                : $"SparseInput.Sparse feeds the non-zero features to the first Dense layer, but the first layer is {options.Layers[0]}: make it a Dense layer or use SparseInput.Auto.");
        return options.SparseInput == SparseInput.Sparse
            || (options.SparseInput == SparseInput.Auto && firstLayerDense && column.Type is VectorDataViewType && density <= SparseRows.AutoDensity);
    }

    /// <summary>
    /// Reads all of <paramref name="data"/>: rows counted first, then written straight into one tensor, or, when
    /// <paramref name="sparseDensity"/> is given (the expected fraction of non-zeros, to size the storage once),
    /// kept as their non-zero values. <paramref name="sequenceLength"/>: for variable-length token ids, the length every
    /// row is padded to.
    /// </summary>
    public static TrainingData Read(IDataView data, NeuralNetworkOptions options, NeuralNetworkTask task, int classCount, double? sparseDensity = null, int? sequenceLength = null)
    {
        bool sparse = sparseDensity.HasValue;
        var reader = new RowReader(data, options, task, classCount, sparseDensity, sequenceLength);
        long counted = RowCount.Of(data);
        if (counted == 0)
            throw MlxError.CannotFit($"the training data", "it has no rows", "Check the data source and any filters before the trainer.");
        if (!sparse && counted * reader.Dimension > int.MaxValue * 4L)
            throw MlxError.CannotFit("the training data", $"{counted:N0} rows × {reader.Dimension:N0} features do not fit in one tensor", "Set StreamFromDataView, train on a sample, or reduce the features.");
        using var cursor = reader.Open(null);
        var all = reader.ReadRows(cursor, counted, firstRow: 0);
        if (all.Rows != counted || cursor.MoveNext())
            throw new InvalidOperationException($"The data view returned a different number of rows than it counted ({counted}); it must return the same rows on every pass.");
        return all;
    }

    /// <summary>
    /// One pass over <paramref name="data"/> in batches of at most <paramref name="batchSize"/> rows, each read into its own
    /// small tensor (for data larger than memory). Rows come in the cursor's order, shuffled by ML.NET when the data
    /// view can shuffle and <paramref name="shuffle"/> is given.
    /// </summary>
    public static IEnumerable<TrainingData> Stream(IDataView data, NeuralNetworkOptions options, NeuralNetworkTask task, int classCount, int batchSize, Random? shuffle)
    {
        var reader = new RowReader(data, options, task, classCount, sparseDensity: null);
        using var cursor = reader.Open(data.CanShuffle ? shuffle : null);
        long row = 0;
        while (true)
        {
            var batch = reader.ReadRows(cursor, batchSize, row);
            if (batch.Rows == 0)
            {
                batch.Dispose();
                yield break;
            }
            row += batch.Rows;
            yield return batch;
        }
    }

    /// <summary>Reads feature, label and weight rows from cursors of one data view, checking every value.</summary>
    private sealed class RowReader
    {
        private readonly IDataView _data;
        private readonly NeuralNetworkOptions _options;
        private readonly NeuralNetworkTask _task;
        private readonly int _classCount;
        private readonly DataViewSchema.Column _features, _label;
        private readonly DataViewSchema.Column? _weight;
        private readonly double? _sparseDensity; // null: dense rows
        private Func<ReadOnlySpan<float>> _readFeatures = null!;
        private ValueGetter<VBuffer<float>>? _readVector;
        private VBuffer<float> _vector;
        private LabelRead _readLabel = null!;
        private ValueGetter<float>? _readWeight;

        public RowReader(IDataView data, NeuralNetworkOptions options, NeuralNetworkTask task, int classCount, double? sparseDensity, int? sequenceLength = null)
        {
            _sparseDensity = sparseDensity;
            _data = data;
            _options = options;
            _task = task;
            _classCount = classCount;
            Dimension = FeatureSize(data.Schema, options.FeatureColumnName) is var size && size > 0 ? size
                : sequenceLength ?? throw new ArgumentException($"Column '{options.FeatureColumnName}' holds token ids of varying length: StreamFromDataView needs one length (VectorizeText's SequenceLength).");
            _label = data.Schema.GetColumnOrNull(options.LabelColumnName) ?? throw MlxError.MissingColumn(options.LabelColumnName, data.Schema.Select(c => c.Name), "NeuralNetworkOptions.LabelColumnName");
            CheckLabelType(_label, task);
            _features = data.Schema[options.FeatureColumnName];
            if (options.ExampleWeightColumnName is string w)
            {
                var weight = data.Schema.GetColumnOrNull(w) ?? throw MlxError.MissingColumn(w, data.Schema.Select(c => c.Name), "NeuralNetworkOptions.ExampleWeightColumnName");
                if (weight.Type != NumberDataViewType.Single)
                    throw MlxError.WrongColumnType(w, "Single", $"{weight.Type}", "Convert the weights with mlContext.Transforms.Conversion.ConvertType.");
                _weight = weight;
            }
            Width = _label.Type is VectorDataViewType labelVector ? labelVector.Size : 1;
        }

        public int Dimension { get; }

        public int Width { get; }

        public DataViewRowCursor Open(Random? shuffle)
        {
            var columns = new List<DataViewSchema.Column> { _features, _label };
            if (_weight is { } w)
                columns.Add(w);
            var cursor = _data.GetRowCursor(columns, shuffle);
            if (_sparseDensity.HasValue)
                _readVector = cursor.GetGetter<VBuffer<float>>(_features);
            else
                _readFeatures = FeatureColumn.Reader(cursor, _features, Dimension);
            _readLabel = LabelReader(cursor, _label, _task, _classCount);
            _readWeight = _weight is { } c ? cursor.GetGetter<float>(c) : null;
            return cursor;
        }

        /// <summary>Up to <paramref name="capacity"/> rows from the cursor (fewer at its end); <paramref name="firstRow"/> numbers rows in messages.</summary>
        // Optimised from the first call (as the per-row helpers below): a data set is read once, and tiered JIT would
        // run the whole read at tier 0 (25,000 sparse rows: 30 ms → 7 ms, measured).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public TrainingData ReadRows(DataViewRowCursor cursor, long capacity, long firstRow)
        {
            int d = Dimension;
            // Sized from the sampled density (10 % slack): growing 50 MB arrays by doubling cost more than reading the rows.
            var sparse = _sparseDensity is double density ? new SparseRows(d, capacity, perRow: (int)Math.Min(d, Math.Ceiling(1.1 * density * d) + 1)) : null;
            var features = sparse != null ? null : TorchSharp.torch.empty(new long[] { capacity, d });
            var prefaulter = features is null ? null : PagePrefaulter.Start(features);
            int rowsPerBlock = Math.Max(1, BlockValues / d);
            TorchSharp.torch.Tensor? block = null;
            Span<float> blockValues = default; // the block's storage, looked up once per block (a few native calls)
            var targets = new List<float>((int)Math.Min(capacity * Width, int.MaxValue));
            var label = new float[Width];
            var weights = _readWeight != null ? new List<float>() : null;
            long row = 0;
            float weight = 1;
            bool complete = false;
            try
            {
                while (row < capacity && cursor.MoveNext())
                {
                    long at = firstRow + row;
                    if (sparse != null)
                    {
                        ReadSparse(sparse, at);
                    }
                    else
                    {
                        var x = _readFeatures();
                        CheckFinite(x, at);
                        int inBlock = (int)(row % rowsPerBlock);
                        if (inBlock == 0)
                        {
                            block?.Dispose();
                            block = features!.narrow(0, row, Math.Min(rowsPerBlock, capacity - row));
                            blockValues = TensorMemory.Floats(block);
                        }
                        x.CopyTo(blockValues.Slice(inBlock * d, d));
                        prefaulter?.ReaderAt((row + 1) * d);
                    }
                    _readLabel(at, label);
                    targets.AddRange(label);
                    if (_readWeight != null)
                    {
                        _readWeight(ref weight);
                        if (!(weight >= 0) || !float.IsFinite(weight))
                            throw MlxError.BadValue(MlxError.Where(_options.ExampleWeightColumnName!, row: at), weight, "example weights must be finite and not negative", "Fix or drop those rows.");
                        weights!.Add(weight);
                    }
                    row++;
                }
                complete = true;
            }
            finally
            {
                prefaulter?.Dispose(); // first: it writes to the tensor, which may be trimmed or released below
                block?.Dispose();
                if (!complete)
                {
                    features?.Dispose(); // a bad value or a failing cursor: the memory is released now, not by a finalizer
                    sparse?.Dispose();
                }
            }
            if (features is not null && row < capacity)
            {
                var head = features.narrow(0, 0, row).clone();
                features.Dispose();
                features = head;
            }
            return new TrainingData(features, sparse, true, 0, (int)row, d, Width, targets.ToArray(), weights?.ToArray());
        }

        /// <summary>Appends the current row's non-zero features (sparse vectors as they are, dense ones filtered).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void ReadSparse(SparseRows sparse, long at)
        {
            _readVector!(ref _vector);
            var values = _vector.GetValues();
            if (_vector.IsDense)
            {
                // NaN and ±∞ are non-zero, so checking the values kept is checking the row (150 values instead of 10,000).
                sparse.AddDense(values);
                var (start, length) = sparse.Row(sparse.Rows - 1);
                CheckFinite(sparse.Values.Slice(start, length), at, sparse.Indices.Slice(start, length));
            }
            else
            {
                CheckFinite(values, at, _vector.GetIndices());
                sparse.Add(_vector.GetIndices(), values);
            }
        }

        /// <summary>One SIMD sum per row; only a non-finite sum (NaN, ∞, or an overflow of large values) is scanned.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void CheckFinite(ReadOnlySpan<float> x, long row, ReadOnlySpan<int> slots = default)
        {
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(x)))
                TrainingData.CheckFinite(x, _options.FeatureColumnName, row, slots);
        }
    }

    /// <summary>The first <paramref name="start"/> rows and the rest (for a validation split), sharing the feature tensor.</summary>
    public (TrainingData Head, TrainingData Tail) Split(int start) =>
        (new TrainingData(_features, _sparse, false, _firstRow, start, Dimension, TargetWidth, Targets[..(start * TargetWidth)], Weights?[..start]),
         new TrainingData(_features, _sparse, false, _firstRow + start, Rows - start, Dimension, TargetWidth, Targets[(start * TargetWidth)..], Weights?[start..]));

    /// <summary>The features as a [rows, dimension] tensor: a view of the storage read once (dispose the view, not the data).</summary>
    public TorchSharp.torch.Tensor FeatureTensor() =>
        _features?.narrow(0, _firstRow, Rows) ?? throw new InvalidOperationException("The features are held as sparse rows: use SparseBatch().");

    /// <summary>The sparse rows <paramref name="order"/>[i] (numbered within this data), for the first Dense layer.</summary>
    public SparseBatch SparseBatch(ReadOnlySpan<long> order) => Estimators.SparseBatch.Gather(_sparse!, order, _firstRow);

    /// <summary>The sparse rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    public SparseBatch SparseBatch(int start, int count) => Estimators.SparseBatch.Range(_sparse!, _firstRow + start, count);

    /// <summary>Releases the feature tensor (the full data set owns it; splits share it).</summary>
    public void Dispose()
    {
        if (_ownsFeatures)
        {
            _features?.Dispose();
            _sparse?.Dispose();
        }
    }

    private static void CheckFinite(ReadOnlySpan<float> x, string column, long row, ReadOnlySpan<int> slots)
    {
        if (NonFinite.First(x) is int j)
        {
            throw MlxError.BadValue(MlxError.Where(column, slots.IsEmpty ? j : slots[j], row: row), x[j], "neural networks need finite features",
                float.IsNaN(x[j]) ? "Impute missing values first (mlContext.Transforms.ReplaceMissingValues)." : "Remove or clip infinite values first.");
        }
    }

    private static void CheckLabelType(DataViewSchema.Column label, NeuralNetworkTask task)
    {
        bool ok = task switch
        {
            NeuralNetworkTask.BinaryClassification => label.Type == BooleanDataViewType.Instance,
            NeuralNetworkTask.MulticlassClassification => label.Type is KeyDataViewType,
            NeuralNetworkTask.MultilabelClassification => label.Type is VectorDataViewType { ItemType: BooleanDataViewType, Size: > 0 },
            NeuralNetworkTask.VectorRegression => label.Type is VectorDataViewType { ItemType: NumberDataViewType n, Size: > 0 } && n.RawType == typeof(float),
            _ => label.Type == NumberDataViewType.Single || label.Type == NumberDataViewType.Double,
        };
        if (!ok)
        {
            var (expected, fix) = task switch
            {
                NeuralNetworkTask.BinaryClassification => ("Boolean", "Convert the label, e.g. mlContext.Transforms.Conversion.ConvertType or CustomMapping to bool."),
                NeuralNetworkTask.MulticlassClassification => ("a key (class index)", $"Map the classes to keys first: mlContext.Transforms.Conversion.MapValueToKey(\"{label.Name}\")."),
                NeuralNetworkTask.MultilabelClassification => ("known-size vector of Boolean", "Concatenate one Boolean column per label into a vector (mlContext.Transforms.Concatenate)."),
                NeuralNetworkTask.VectorRegression => ("known-size vector of Single", "Concatenate the Single target columns into a vector (mlContext.Transforms.Concatenate)."),
                _ => ("Single or Double", "Convert the label with mlContext.Transforms.Conversion.ConvertType."),
            };
            throw MlxError.WrongColumnType(label.Name, $"a {expected} label for {task}", $"{label.Type}", fix);
        }
    }

    private delegate void LabelRead(long row, Span<float> destination);

    private static LabelRead LabelReader(DataViewRow cursor, DataViewSchema.Column label, NeuralNetworkTask task, int classCount)
    {
        switch (task)
        {
            case NeuralNetworkTask.BinaryClassification:
            {
                var get = cursor.GetGetter<bool>(label);
                bool value = false;
                return (_, y) => { get(ref value); y[0] = value ? 1f : 0f; };
            }
            case NeuralNetworkTask.MulticlassClassification:
            {
                var get = cursor.GetGetter<uint>(label);
                uint key = 0;
                return (row, y) =>
                {
                    get(ref key);
                    if (key == 0 || key > classCount)
                        throw MlxError.BadValue(MlxError.Where(label.Name, row: row), key, "the class is missing (key 0) or unknown", "Drop rows with missing labels, or map labels with MapValueToKey fitted on all classes.");
                    y[0] = key - 1;
                };
            }
            case NeuralNetworkTask.MultilabelClassification:
            {
                var get = cursor.GetGetter<VBuffer<bool>>(label);
                var value = default(VBuffer<bool>);
                return (_, y) =>
                {
                    get(ref value);
                    y.Clear();
                    foreach (var (slot, on) in value.Items())
                        y[slot] = on ? 1f : 0f;
                };
            }
            case NeuralNetworkTask.VectorRegression:
            {
                var get = cursor.GetGetter<VBuffer<float>>(label);
                var value = default(VBuffer<float>);
                return (row, y) =>
                {
                    get(ref value);
                    value.CopyTo(y);
                    if (NonFinite.First(y) is int j)
                        throw MlxError.BadValue(MlxError.Where(label.Name, j, row: row), y[j], "labels must be finite", "Drop rows with missing or infinite labels (mlContext.Data.FilterRowsByMissingValues).");
                };
            }
            default:
            {
                if (label.Type == NumberDataViewType.Double)
                {
                    var getDouble = cursor.GetGetter<double>(label);
                    double d = 0;
                    return (row, y) => { getDouble(ref d); y[0] = Finite(label.Name, (float)d, row); };
                }
                var get = cursor.GetGetter<float>(label);
                float f = 0;
                return (row, y) => { get(ref f); y[0] = Finite(label.Name, f, row); };
            }
        }
    }

    private static float Finite(string column, float value, long row) =>
        float.IsFinite(value) ? value : throw MlxError.BadValue(MlxError.Where(column, row: row), value, "labels must be finite", "Drop rows with missing or infinite labels (mlContext.Data.FilterRowsByMissingValues).");
}
