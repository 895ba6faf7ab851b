namespace Mlx.Estimators;

/// <summary>A mini-batch of sparse feature rows: row numbers into a <see cref="SparseRows"/> set, nothing copied.</summary>
internal sealed class SparseBatch
{
    public SparseBatch(SparseRows source, int[] rows)
    {
        Source = source;
        RowNumbers = rows;
    }

    public SparseRows Source { get; }

    /// <summary>The rows of <see cref="Source"/> in batch order.</summary>
    public int[] RowNumbers { get; }

    public int Rows => RowNumbers.Length;

    /// <summary>The rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 in order.</summary>
    public static SparseBatch Range(SparseRows source, int start, int count)
    {
        var rows = new int[count];
        for (int i = 0; i < count; i++)
            rows[i] = start + i;
        return new SparseBatch(source, rows);
    }

    /// <summary>The rows <paramref name="offset"/> + <paramref name="order"/>[i].</summary>
    public static SparseBatch Gather(SparseRows source, ReadOnlySpan<long> order, int offset)
    {
        var rows = new int[order.Length];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = offset + (int)order[i];
        return new SparseBatch(source, rows);
    }
}
