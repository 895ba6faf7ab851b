using System.Numerics.Tensors;

namespace Mlx.Core.Numerics;

/// <summary>
/// Count, mean and sum of squared deviations (M2) of a set of values, combinable across chunks
/// with Chan's parallel formula. Chunks small enough to stay in L1 cache are reduced with SIMD
/// two-pass sums, so the variance is accurate without a second pass over the whole data.
/// </summary>
public readonly record struct Moments(long Count, double Mean, double M2)
{
    /// <summary>The population variance (ddof = 0), as numpy's <c>var()</c>.</summary>
    public double Variance => Count > 0 ? M2 / Count : double.NaN;

    /// <summary>Reduces a chunk, overwriting it with its deviations from the chunk mean.</summary>
    public static Moments OfChunkInPlace(Span<double> chunk)
    {
        if (chunk.IsEmpty)
            return default;
        double mean = TensorPrimitives.Sum<double>(chunk) / chunk.Length;
        TensorPrimitives.Subtract(chunk, mean, chunk);
        return new Moments(chunk.Length, mean, TensorPrimitives.SumOfSquares<double>(chunk));
    }

    /// <summary>Combines the moments of two disjoint sets (Chan et al.).</summary>
    public static Moments Combine(Moments a, Moments b)
    {
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        long n = a.Count + b.Count;
        double delta = b.Mean - a.Mean;
        double mean = a.Mean + delta * b.Count / n;
        double m2 = a.M2 + b.M2 + delta * delta * ((double)a.Count * b.Count / n);
        return new Moments(n, mean, m2);
    }
}
