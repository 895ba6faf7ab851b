namespace Mlx.Core.Numerics;

/// <summary>
/// In-place selection of order statistics (quickselect with median-of-three pivots, falling back to a
/// sort on adversarial input): O(n) per statistic instead of the O(n log n) of a full sort.
/// </summary>
public static class QuickSelect
{
    /// <summary>
    /// Reorders <paramref name="values"/> so that <c>values[k]</c> is the k-th smallest value, every value
    /// before it is ≤ it and every value after it ≥ it; returns it. No NaN allowed.
    /// </summary>
    public static double Select(Span<double> values, int k)
    {
        if ((uint)k >= (uint)values.Length)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [0, {values.Length}).");
        int lo = 0, hi = values.Length - 1;
        int budget = 2 * (int)Math.Log2(values.Length + 1) + 8; // more rounds than this: input is adversarial
        while (hi > lo)
        {
            if (--budget < 0 || hi - lo < 16)
            {
                values[lo..(hi + 1)].Sort();
                return values[k];
            }
            double pivot = MedianOfThree(values[lo], values[lo + (hi - lo) / 2], values[hi]);
            // Hoare partition: [lo, j] <= pivot <= [i, hi].
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return values[k]; // between j and i every value equals the pivot
        }
        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
