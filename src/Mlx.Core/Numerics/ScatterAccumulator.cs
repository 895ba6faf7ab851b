using System.Numerics.Tensors;
using Mlx.Core.Data;

namespace Mlx.Core.Numerics;

/// <summary>
/// Accumulates the count, mean and scatter matrix Σ(x − mean)(x − mean)ᵀ of rows block by block.
/// Each block is centred on its own mean (in place) and its scatter built from SIMD dot products of
/// slot columns; blocks are merged with Chan's formula, so a large common offset in the data costs no
/// precision. Memory is d×d doubles whatever the number of rows.
/// </summary>
public sealed class ScatterAccumulator
{
    private readonly int _d;
    private readonly double[] _mean;
    private readonly double[] _scatter; // upper triangle used during accumulation, full after Finish
    private readonly double[] _blockMean;
    private long _count;

    /// <summary>Creates an empty accumulator for rows of <paramref name="dimension"/> values.</summary>
    public ScatterAccumulator(int dimension)
    {
        _d = dimension;
        _mean = new double[dimension];
        _scatter = new double[dimension * dimension];
        _blockMean = new double[dimension];
    }

    /// <summary>Rows accumulated.</summary>
    public long Count => _count;

    /// <summary>The mean row.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Adds the rows of a block (the block's values are centred in place).</summary>
    public void Add(RowBlock block)
    {
        if (block.Rows == 0)
            return;
        int n = block.Rows;
        for (int j = 0; j < _d; j++)
        {
            var column = block.Column(j);
            double m = TensorPrimitives.Sum<double>(column) / n;
            _blockMean[j] = m;
            TensorPrimitives.Subtract(column, m, column);
        }
        // Block scatter (upper triangle, SIMD tiles), then Chan's correction for the shift between the means.
        ScatterKernel.AddGram(block.Values, _d, block.Capacity, n, _scatter);
        long total = _count + n;
        double weight = (double)_count * n / total;
        if (weight > 0)
        {
            for (int i = 0; i < _d; i++)
            {
                double di = _blockMean[i] - _mean[i];
                int row = i * _d;
                for (int j = i; j < _d; j++)
                    _scatter[row + j] += di * (_blockMean[j] - _mean[j]) * weight;
            }
        }
        for (int j = 0; j < _d; j++)
            _mean[j] += (_blockMean[j] - _mean[j]) * n / total;
        _count = total;
    }

    /// <summary>Merges another accumulator's rows into this one.</summary>
    public void Merge(ScatterAccumulator other)
    {
        if (other._count == 0)
            return;
        long total = _count + other._count;
        double weight = (double)_count * other._count / total;
        for (int i = 0; i < _d; i++)
        {
            double di = other._mean[i] - _mean[i];
            for (int j = i; j < _d; j++)
                _scatter[i * _d + j] += other._scatter[i * _d + j] + di * (other._mean[j] - _mean[j]) * weight;
        }
        for (int j = 0; j < _d; j++)
            _mean[j] += (other._mean[j] - _mean[j]) * other._count / total;
        _count = total;
    }

    /// <summary>The full symmetric scatter matrix (row-major d×d).</summary>
    public double[,] Scatter()
    {
        var result = new double[_d, _d];
        for (int i = 0; i < _d; i++)
        {
            for (int j = i; j < _d; j++)
                result[i, j] = result[j, i] = _scatter[i * _d + j];
        }
        return result;
    }
}
