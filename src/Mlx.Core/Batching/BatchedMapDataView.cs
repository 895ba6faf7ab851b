using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Mlx.Core.Batching;

/// <summary>
/// A lazy <see cref="IDataView"/> that adds columns computed in batches: its cursor reads up to a batch of source rows ahead, stages their input, maps the batch at
/// once (an ONNX or TorchSharp forward pass) and then hands the rows out one by one, keeping the other
/// active columns' values meanwhile. ML.NET's own row mappers see one row at a time, which costs a
/// network one call per row; this keeps every ML.NET contract (same rows, same order, same schema
/// plus the new column, lazy cursors) while paying one call per batch.
/// </summary>
public sealed class BatchedMapDataView : IDataView
{
    private readonly IHost _host;
    private readonly IDataView _source;
    private readonly int[] _inputColumns;
    private readonly int _outputCount;
    private readonly int _batchSize;
    private readonly BatchRowMapperFactory _createMapper;

    /// <summary>Creates the view.</summary>
    /// <param name="env">The ML.NET environment.</param>
    /// <param name="source">The data to map.</param>
    /// <param name="outputs">The added columns: names, types and annotations.</param>
    /// <param name="inputColumns">The source columns the mapper reads.</param>
    /// <param name="batchSize">The most rows mapped at once.</param>
    /// <param name="createMapper">Creates a mapper per cursor.</param>
    public BatchedMapDataView(IHostEnvironment env, IDataView source, IReadOnlyList<DataViewSchema.DetachedColumn> outputs,
        IEnumerable<int> inputColumns, int batchSize, BatchRowMapperFactory createMapper)
    {
        _host = env.Register(nameof(BatchedMapDataView));
        _source = source;
        _inputColumns = inputColumns.ToArray();
        _batchSize = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        _createMapper = createMapper;
        _outputCount = outputs.Count > 0 ? outputs.Count : throw new ArgumentException("Give at least one output column.", nameof(outputs));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        foreach (var output in outputs)
            builder.AddColumn(output.Name, output.Type, output.Annotations);
        Schema = builder.ToSchema();
    }

    /// <summary>The source schema with the output columns added (hiding any source columns of the same names).</summary>
    public DataViewSchema Schema { get; }

    /// <summary>As the source: batching keeps every row.</summary>
    public bool CanShuffle => _source.CanShuffle;

    /// <summary>The source's row count.</summary>
    public long? GetRowCount() => _source.GetRowCount();

    private int FirstOutput => Schema.Count - _outputCount;

    private bool IsOutput(int column) => column >= FirstOutput;

    /// <summary>A cursor; batches only when an output column is requested.</summary>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var requested = columnsNeeded.Select(c => c.Index).ToHashSet();
        bool mapping = requested.RemoveWhere(IsOutput) > 0;
        var sourceColumns = mapping ? requested.Union(_inputColumns) : requested;
        var source = _source.GetRowCursor(sourceColumns.Select(i => _source.Schema[i]).ToArray(), rand);
        return mapping ? new BatchCursor(this, source, requested) : new PassThroughCursor(this, source);
    }

    /// <summary>
    /// One cursor: the map itself runs multi-threaded (ONNX Runtime and libtorch use every core per batch),
    /// while ML.NET still parallelises the upstream work (image loading, resizing) behind the single cursor.
    /// </summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>Delegates everything to the source cursor (no output column is read).</summary>
    private sealed class PassThroughCursor : DataViewRowCursor
    {
        private readonly BatchedMapDataView _parent;
        private readonly DataViewRowCursor _source;

        public PassThroughCursor(BatchedMapDataView parent, DataViewRowCursor source)
        {
            _parent = parent;
            _source = source;
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _source.Position;
        public override long Batch => _source.Batch;
        public override bool MoveNext() => _source.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => !_parent.IsOutput(column.Index) && _source.IsColumnActive(_source.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (_parent.IsOutput(column.Index))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
            return _source.GetGetter<TValue>(_source.Schema[column.Index]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _source.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Reads a batch ahead, maps it, hands rows out.</summary>
    private sealed class BatchCursor : DataViewRowCursor
    {
        private readonly BatchedMapDataView _parent;
        private readonly DataViewRowCursor _source;
        private readonly IBatchRowMapper _mapper;
        private readonly Dictionary<int, ColumnBuffer> _passThrough = new();
        private readonly DataViewRowId[] _ids;
        private readonly ValueGetter<DataViewRowId> _sourceId;
        private int _count, _index = -1;
        private long _position = -1;
        private bool _exhausted;

        public BatchCursor(BatchedMapDataView parent, DataViewRowCursor source, IEnumerable<int> activeSourceColumns)
        {
            _parent = parent;
            _source = source;
            int capacity = parent._batchSize;
            foreach (int c in activeSourceColumns)
                _passThrough[c] = ColumnBuffer.Create(source, source.Schema[c], capacity);
            _ids = new DataViewRowId[capacity];
            _sourceId = source.GetIdGetter();
            _mapper = parent._createMapper(source, capacity);
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_index + 1 >= _count && !Fill())
                return false;
            _index++;
            _position++;
            return true;
        }

        private bool Fill()
        {
            _index = -1;
            _count = 0;
            while (!_exhausted && _count < _ids.Length)
            {
                if (!_source.MoveNext())
                {
                    _exhausted = true;
                    break;
                }
                foreach (var buffer in _passThrough.Values)
                    buffer.Capture(_count);
                _sourceId(ref _ids[_count]);
                _mapper.Stage(_count);
                _count++;
            }
            if (_count == 0)
                return false;
            _mapper.Run(_count);
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_index];

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            _parent.IsOutput(column.Index) || _passThrough.ContainsKey(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (_parent.IsOutput(column.Index))
            {
                return _mapper.GetGetter(column.Index - _parent.FirstOutput, () => _index) as ValueGetter<TValue>
                    ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
            }
            if (!_passThrough.TryGetValue(column.Index, out var buffer))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
            return buffer.Getter(() => _index) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _mapper.Dispose();
                _source.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
