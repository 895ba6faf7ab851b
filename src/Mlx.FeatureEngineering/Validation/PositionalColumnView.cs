using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The source plus one Single column whose value for the i-th row (in the source's order) is <c>values[i]</c> — a fold
/// number or a split marker assigned by position. It never shuffles (a shuffled cursor would pair values with other
/// rows): consumers that shuffle get ML.NET's pool shuffling on top.
/// </summary>
internal sealed class PositionalColumnView : IDataView
{
    private readonly IDataView _source;
    private readonly float[] _values;

    public PositionalColumnView(IDataView source, string name, float[] values)
    {
        _source = source;
        _values = values;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        builder.AddColumn(name, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _values.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Where(c => c.Index < _source.Schema.Count).Select(c => _source.Schema[c.Index]).ToArray();
        return new Cursor(this, _source.GetRowCursor(needed), columnsNeeded.Any(c => c.Index == _source.Schema.Count));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded)];

    private sealed class Cursor(PositionalColumnView parent, DataViewRowCursor inner, bool valueActive) : DataViewRowCursor
    {
        public override DataViewSchema Schema => parent.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override bool MoveNext()
        {
            if (!inner.MoveNext())
                return false;
            if (inner.Position >= parent._values.Length)
                throw new InvalidOperationException($"The data returned more rows than the {parent._values.Length} it had when its folds were assigned: it must return the same rows on every pass.");
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == parent._source.Schema.Count ? valueActive : inner.IsColumnActive(parent._source.Schema[column.Index]);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < parent._source.Schema.Count)
                return inner.GetGetter<TValue>(parent._source.Schema[column.Index]);
            return (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float value) => value = parent._values[inner.Position]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
