namespace Mlx.Core.Data;

/// <summary>
/// A block of consecutive rows of a numeric column, stored column-major in doubles so that per-slot
/// work (sums, dot products between slots) runs on contiguous spans with SIMD.
/// </summary>
public sealed class RowBlock
{
    internal RowBlock(int slotCount, int capacity)
    {
        SlotCount = slotCount;
        Capacity = capacity;
        Values = new double[slotCount * capacity];
        Labels = new int[capacity];
        Targets = new double[capacity];
    }

    /// <summary>Slots per row.</summary>
    public int SlotCount { get; }

    /// <summary>Rows the block can hold.</summary>
    public int Capacity { get; }

    /// <summary>Rows held now.</summary>
    public int Rows { get; internal set; }

    /// <summary>The index of the block's first row in the data.</summary>
    public long FirstRow { get; internal set; }

    /// <summary>Slot j of row r is at <c>Values[j * Capacity + r]</c>.</summary>
    public double[] Values { get; }

    /// <summary>Class codes of the rows when a label column is read (see <see cref="ClassLabelColumn"/>).</summary>
    public int[] Labels { get; }

    /// <summary>Numeric labels of the rows when a target column is read (see <see cref="NumericLabelColumn"/>).</summary>
    public double[] Targets { get; }

    /// <summary>The values of one slot over the block's rows.</summary>
    public Span<double> Column(int slot) => Values.AsSpan(slot * Capacity, Rows);
}
