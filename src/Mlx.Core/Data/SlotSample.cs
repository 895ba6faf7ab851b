using System.Numerics.Tensors;

namespace Mlx.Core.Data;

/// <summary>
/// The non-missing values of one slot of a column, in row order, with the summary facts that
/// validation needs (extremes and where they are, how many values were missing).
/// </summary>
public sealed class SlotSample
{
    private readonly bool _keepValues;
    private double[] _values;

    /// <summary>Creates an empty sample.</summary>
    /// <param name="keepValues">Store the values (false: only count them and track the extremes).</param>
    public SlotSample(bool keepValues = true)
    {
        _keepValues = keepValues;
        _values = new double[keepValues ? 1024 : 0];
    }

    /// <summary>The non-NaN values read, in row order (empty when the sample was read without values).</summary>
    public ReadOnlySpan<double> Values => _keepValues ? _values.AsSpan(0, Count) : default;

    /// <summary>The values as a writable array segment the caller may reorder (e.g. to sort or select in place).</summary>
    public Span<double> ValuesForReordering => _keepValues ? _values.AsSpan(0, Count) : default;

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
        if (_keepValues && rows > _values.Length && rows <= Array.MaxLength)
            Array.Resize(ref _values, (int)rows);
    }

    /// <summary>Adds a run of finite values (no NaN) read from consecutive rows starting at <paramref name="firstRow"/>.</summary>
    internal void AddFinite(ReadOnlySpan<float> values, long firstRow)
    {
        if (values.IsEmpty)
            return;
        if (_keepValues)
        {
            EnsureCapacity(Count + values.Length);
            var destination = _values.AsSpan(Count, values.Length);
            for (int i = 0; i < values.Length; i++)
                destination[i] = values[i];
        }
        Count += values.Length;
        float min = TensorPrimitives.Min(values), max = TensorPrimitives.Max(values);
        if (!(min >= Min))
        {
            Min = min;
            MinRow = firstRow + values.IndexOf(min);
        }
        if (!(max <= Max))
        {
            Max = max;
            MaxRow = firstRow + values.IndexOf(max);
        }
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= _values.Length)
            return;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"A slot has more than {Array.MaxLength} values; fit on a sample of the data.");
        Array.Resize(ref _values, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _values.Length)));
    }

    internal void Add(double value, long row)
    {
        if (double.IsNaN(value))
        {
            MissingCount++;
            return;
        }
        if (!_keepValues)
        {
            Count++;
        }
        else
        {
            EnsureCapacity(Count + 1L);
            _values[Count++] = value;
        }
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
