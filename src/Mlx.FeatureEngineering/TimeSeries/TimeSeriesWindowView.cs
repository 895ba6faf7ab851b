using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The windows of one split of a <see cref="TimeSeriesWindows"/> as a lazy data view: a cursor composes each window from
/// the in-memory series when its <c>Features</c> getter is called (into the caller's buffer, no allocation once sized).
/// </summary>
internal sealed class TimeSeriesWindowView : IDataView
{
    private readonly TimeSeriesWindows _windows;
    private readonly TimeSeriesSplit _split;

    public TimeSeriesWindowView(TimeSeriesWindows windows, TimeSeriesSplit split)
    {
        _windows = windows;
        _split = split;
        var builder = new DataViewSchema.Builder();
        var names = windows.SlotNames.Select(n => n.AsMemory()).ToArray();
        var slots = new DataViewSchema.Annotations.Builder();
        slots.AddSlotNames(names.Length, (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, names.Length), slots.ToAnnotations());
        builder.AddColumn("Label", NumberDataViewType.Single);
        builder.AddColumn("Time", NumberDataViewType.Int64);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _windows.Count(_split);

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(TimeSeriesWindowView parent) : DataViewRowCursor
    {
        private readonly int _first = parent._windows.FirstTarget(parent._split), _last = parent._windows.LastTarget(parent._split);
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => parent.Schema;

        private int Target => _first + (int)_position;

        public override bool MoveNext()
        {
            if (_first + _position + 1 > _last)
            {
                _position = _last - _first + 1;
                return false;
            }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    int size = parent._windows.SlotNames.Count;
                    var editor = VBufferEditor.Create(ref value, size);
                    parent._windows.Window(Target, editor.Values);
                    value = editor.Commit();
                }),
                1 => (ValueGetter<float>)((ref float value) => value = parent._windows.Target(Target)),
                2 => (ValueGetter<long>)((ref long value) => value = Target),
                _ => throw new ArgumentOutOfRangeException(nameof(column)),
            };
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)Target, 0);
    }
}
