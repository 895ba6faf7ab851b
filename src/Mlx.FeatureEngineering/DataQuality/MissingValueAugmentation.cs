using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The book's advice for test data that may lack values: train on copies of the rows with features blanked. A lazy view:
/// the source rows, then <c>copies</c> passes over them in which each slot of the feature column is NaN with probability
/// <c>rate</c> (other columns unchanged). Which slots are blanked is a hash of (seed, pass, row, slot): every cursor sees
/// the same rows. Training-only: never part of a scoring pipeline. Put the imputer (e.g. ReplaceMissingValues) after it.
/// </summary>
public sealed class MissingValueAugmentation : IDataView
{
    private readonly IDataView _source;
    private readonly int _feature, _slots, _copies;
    private readonly double _rate;
    private readonly ulong _seed;
    private readonly bool _isVector;

    internal MissingValueAugmentation(IDataView source, string featureColumnName, double rate, int copies, int seed)
    {
        var column = SlotColumn.Resolve(source.Schema, featureColumnName, nameof(featureColumnName));
        if (!(rate > 0 && rate < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate of blanked values must be in (0, 1).");
        if (copies < 1)
            throw new ArgumentOutOfRangeException(nameof(copies), copies, "Make at least one blanked copy.");
        _source = source;
        _feature = column.Index;
        _slots = column.SlotCount;
        _isVector = column.IsVector;
        _rate = rate;
        _copies = copies;
        _seed = (ulong)(uint)seed;
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema => _source.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => _source.GetRowCount() * (_copies + 1);

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.ToArray());

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    // SplitMix64 of (seed, pass, row, slot) → [0, 1).
    private double Uniform(int pass, long row, int slot)
    {
        ulong z = _seed * 0x9E3779B97F4A7C15UL ^ ((ulong)pass << 48) ^ ((ulong)row << 16) ^ (ulong)slot;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly MissingValueAugmentation _parent;
        private readonly DataViewSchema.Column[] _columns;
        private DataViewRowCursor _inner;
        private int _pass;
        private long _row = -1, _position = -1;

        public Cursor(MissingValueAugmentation parent, DataViewSchema.Column[] columns)
        {
            _parent = parent;
            _columns = columns;
            _inner = parent._source.GetRowCursor(columns);
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

        public override bool MoveNext()
        {
            while (!_inner.MoveNext())
            {
                if (_pass == _parent._copies)
                    return false;
                _inner.Dispose();
                _inner = _parent._source.GetRowCursor(_columns);
                _pass++;
                _row = -1;
            }
            _row++;
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _parent._feature)
            {
                var inner = Current<TValue>(column);
                return (ref TValue value) => inner()(ref value);
            }
            if (!_parent._isVector)
            {
                var scalar = Current<float>(column);
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float value) =>
                {
                    scalar()(ref value);
                    if (_pass > 0 && _parent.Uniform(_pass, _row, 0) < _parent._rate)
                        value = float.NaN;
                });
            }
            var source = default(VBuffer<float>);
            var vector = Current<VBuffer<float>>(column);
            return (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                vector()(ref source);
                var editor = VBufferEditor.Create(ref value, _parent._slots);
                source.CopyTo(editor.Values);
                if (_pass > 0)
                {
                    for (int j = 0; j < _parent._slots; j++)
                    {
                        if (_parent.Uniform(_pass, _row, j) < _parent._rate)
                            editor.Values[j] = float.NaN;
                    }
                }
                value = editor.Commit();
            });
        }

        // The inner cursor's getter, fetched again when a new pass opens a new cursor (once per pass, not per row).
        private Func<ValueGetter<T>> Current<T>(DataViewSchema.Column column)
        {
            ValueGetter<T>? getter = null;
            int pass = -1;
            return () =>
            {
                if (pass != _pass || getter is null)
                {
                    getter = _inner.GetGetter<T>(column);
                    pass = _pass;
                }
                return getter;
            };
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
