namespace Mlx.Core.Numerics;

/// <summary>
/// numpy's float64 <c>np.add.reduce</c> over a contiguous axis, to the last bit: the iterator hands the inner loop
/// blocks of at most 8,192 values (its buffer size), each summed pairwise (blocks of up to 128 values in eight
/// interleaved accumulators, larger ones split in halves rounded to a multiple of 8), added in order to a result
/// that starts at 0. Reference results (scikit-learn) that start from <c>X.mean()</c> can only be matched bit for bit
/// with the same summation order.
/// </summary>
internal static class NumpySum
{
    private const int BufferSize = 8192;
    private const int PairwiseBlock = 128;

    /// <summary>The sum, as numpy computes it.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        double result = 0;
        for (int start = 0; start < values.Length; start += BufferSize)
            result += Pairwise(values.Slice(start, Math.Min(BufferSize, values.Length - start)));
        return result;
    }

    /// <summary>The mean (<c>sum / n</c>, as numpy's <c>_mean</c>).</summary>
    public static double Mean(ReadOnlySpan<double> values) => Sum(values) / values.Length;

    /// <summary>numpy's <c>pairwise_sum_DOUBLE</c>.</summary>
    private static double Pairwise(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double sum = 0;
            foreach (var v in a)
                sum += v;
            return sum;
        }
        if (n <= PairwiseBlock)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i = 8;
            for (; i < n - n % 8; i += 8)
            {
                r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3];
                r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7];
            }
            double result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
                result += a[i];
            return result;
        }
        int half = n / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }
}
