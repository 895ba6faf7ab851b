using System.Numerics.Tensors;
using Mlx.Core.Data;

namespace Mlx.FeatureEngineering.Selection.Filter;

/// <summary>
/// Per class and slot: row count, sum and sum of squares of the values (shifted by the first row's value,
/// so large offsets keep their precision), accumulated from row blocks. Memory classes × slots.
/// </summary>
internal sealed class ClassSums
{
    private readonly int _d;
    private double[]? _shift;
    private readonly List<double[]> _sums = new(), _squares = new();
    private readonly List<long> _counts = new();

    public ClassSums(int dimension) => _d = dimension;

    /// <summary>The smallest value of each slot and the row where it first occurs (for the chi-square check).</summary>
    public double[] Min { get; private set; } = [];

    public long[] MinRow { get; private set; } = [];

    public void Add(RowBlock block)
    {
        if (block.Rows == 0)
            return;
        if (_shift is null)
        {
            _shift = Enumerable.Range(0, _d).Select(j => block.Values[j * block.Capacity]).ToArray();
            Min = Enumerable.Repeat(double.PositiveInfinity, _d).ToArray();
            MinRow = new long[_d];
        }
        int maxLabel = 0;
        for (int r = 0; r < block.Rows; r++)
            maxLabel = Math.Max(maxLabel, block.Labels[r]);
        while (_counts.Count <= maxLabel)
        {
            _sums.Add(new double[_d]);
            _squares.Add(new double[_d]);
            _counts.Add(0);
        }
        for (int r = 0; r < block.Rows; r++)
            _counts[block.Labels[r]]++;
        for (int j = 0; j < _d; j++)
        {
            var column = block.Column(j);
            double min = TensorPrimitives.Min<double>(column);
            if (min < Min[j])
            {
                Min[j] = min;
                MinRow[j] = block.FirstRow + column.IndexOf(min);
            }
            double shift = _shift[j];
            for (int r = 0; r < column.Length; r++)
            {
                double v = column[r] - shift;
                int c = block.Labels[r];
                _sums[c][j] += v;
                _squares[c][j] += v * v;
            }
        }
    }

    /// <summary>Counts, raw (unshifted) sums and shifted statistics in class order.</summary>
    public (long[] Counts, double[][] Sums, double[][] ShiftedSums, double[][] ShiftedSquares) InClassOrder(int[] classOf)
    {
        int k = _counts.Count;
        var counts = new long[k];
        var sums = new double[k][];
        var shiftedSums = new double[k][];
        var squares = new double[k][];
        for (int code = 0; code < k; code++)
        {
            int c = classOf[code];
            counts[c] = _counts[code];
            shiftedSums[c] = _sums[code];
            squares[c] = _squares[code];
            sums[c] = _sums[code].Select((s, j) => s + _counts[code] * _shift![j]).ToArray();
        }
        return (counts, sums, shiftedSums, squares);
    }
}
