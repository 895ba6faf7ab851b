using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Workflow;

/// <summary>
/// The source with one column's values shuffled across its rows (row i reads the value of row permutation[i]), every
/// other column unchanged: what permutation importance scores. The column's values are read once, copied (text and
/// vector getters reuse their buffers); the source must return the same rows in the same order on every pass.
/// </summary>
internal sealed class PermutedColumnView : IDataView
{
    private readonly IDataView _source;
    private readonly int _column;
    private readonly Delegate _getter;

    /// <summary>A view of <paramref name="source"/> whose column <paramref name="name"/> is permuted.</summary>
    /// <param name="source">The rows (a re-iterable, positional view).</param>
    /// <param name="name">The column: Single, Boolean, text, or a vector of Single.</param>
    /// <param name="permutation">For each row, the row whose value it reads.</param>
    public PermutedColumnView(IDataView source, string name, int[] permutation)
    {
        _source = source;
        var column = source.Schema[name];
        _column = column.Index;
        _getter = column.Type switch
        {
            TextDataViewType => Permuted(Read<ReadOnlyMemory<char>>(source, column, v => v.ToString().AsMemory()), permutation),
            VectorDataViewType { ItemType: NumberDataViewType { RawType: var t } } when t == typeof(float) =>
                Permuted(Read<VBuffer<float>>(source, column, v => { VBuffer<float> copy = default; v.CopyTo(ref copy); return copy; }), permutation),
            NumberDataViewType { RawType: var t } when t == typeof(float) => Permuted(Read<float>(source, column, v => v), permutation),
            BooleanDataViewType => Permuted(Read<bool>(source, column, v => v), permutation),
            _ => throw new NotSupportedException($"Column '{name}' of type {column.Type} cannot be permuted (Single, Boolean, text or Single vectors only)."),
        };
    }

    /// <summary>Whether a column of this type can be permuted.</summary>
    public static bool Supports(DataViewType type) => type is TextDataViewType or BooleanDataViewType
        || type is NumberDataViewType { RawType: var t } && t == typeof(float)
        || type is VectorDataViewType { ItemType: NumberDataViewType { RawType: var v } } && v == typeof(float);

    private static T[] Read<T>(IDataView source, DataViewSchema.Column column, Func<T, T> copy)
    {
        var values = new List<T>();
        using var cursor = source.GetRowCursor([column]);
        var get = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            get(ref value);
            values.Add(copy(value));
        }
        return values.ToArray();
    }

    /// <summary>A getter factory: given the cursor's position source, the getter of the permuted value.</summary>
    private static Func<Func<long>, ValueGetter<T>> Permuted<T>(T[] values, int[] permutation)
    {
        if (values.Length != permutation.Length)
            throw new ArgumentException($"{permutation.Length} positions for {values.Length} rows.");
        return position => (ref T value) => value = values[permutation[position()]];
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, _source.GetRowCursor(columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded)];

    private sealed class Cursor(PermutedColumnView parent, DataViewRowCursor inner) : DataViewRowCursor
    {
        public override DataViewSchema Schema => parent.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override bool MoveNext() => inner.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            column.Index == parent._column
                ? ((Func<Func<long>, ValueGetter<TValue>>)parent._getter)(() => inner.Position)
                : inner.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
