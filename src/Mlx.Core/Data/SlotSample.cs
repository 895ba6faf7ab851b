namespace Mlx.Core.Data;

/// <summary>
/// The non-missing values of one slot of a column, in row order, with the summary facts that
/// validation needs (extremes and where they are, how many values were missing).
/// </summary>
public sealed class SlotSample
{
    private double[] _values = new double[1024];

    /// <summary>The non-NaN values read, in row order.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    /// <summary>The number of non-NaN values.</summary>
    public int Count { get; private set; }

    /// <summary>The number of NaN (missing) values skipped.</summary>
    public long MissingCount { get; private set; }

    /// <summary>The smallest value (NaN when there is none).</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>The row of the first occurrence of <see cref="Min"/>.</summary>
    public long MinRow { get; private set; } = -1;

    /// <summary>The largest value (NaN when there is none).</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>The row of the first occurrence of <see cref="Max"/>.</summary>
    public long MaxRow { get; private set; } = -1;

    internal void Reserve(long rows)
    {
        if (rows > _values.Length && rows <= Array.MaxLength)
            Array.Resize(ref _values, (int)rows);
    }

    internal void Add(double value, long row)
    {
        if (double.IsNaN(value))
        {
            MissingCount++;
            return;
        }
        if (Count == _values.Length)
        {
            if (Count == Array.MaxLength)
                throw new InvalidOperationException($"A slot has more than {Array.MaxLength} values; fit on a sample of the data.");
            Array.Resize(ref _values, (int)Math.Min(Array.MaxLength, 2L * Count));
        }
        _values[Count++] = value;
        if (!(value >= Min))
        {
            Min = value;
            MinRow = row;
        }
        if (!(value <= Max))
        {
            Max = value;
            MaxRow = row;
        }
    }
}
