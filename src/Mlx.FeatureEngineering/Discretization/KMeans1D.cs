namespace Mlx.FeatureEngineering.Discretization;

/// <summary>
/// Lloyd's k-means on one dimension with scikit-learn 1.2's rules (<c>KMeans(init=centres, n_init=1)</c>:
/// max 300 iterations; stop when labels repeat or the squared centre shift is ≤ 1e-4 × variance;
/// an empty cluster takes the point farthest from its centre). On sorted data each cluster is a
/// contiguous range, so an iteration costs O(k log n) with prefix sums instead of O(n k).
/// </summary>
internal static class KMeans1D
{
    private const int MaxIterations = 300;
    private const double RelativeTolerance = 1e-4;

    /// <summary>Returns the final centres, in the order of <paramref name="initialCenters"/>.</summary>
    /// <param name="sorted">The values, sorted ascending.</param>
    /// <param name="initialCenters">The initial centres.</param>
    public static double[] Fit(ReadOnlySpan<double> sorted, double[] initialCenters)
    {
        int n = sorted.Length, k = initialCenters.Length;
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++)
            prefix[i + 1] = prefix[i] + sorted[i];
        double mean = prefix[n] / n;
        double variance = 0;
        foreach (var v in sorted)
            variance += (v - mean) * (v - mean);
        double tolerance = variance / n * RelativeTolerance;

        var centers = (double[])initialCenters.Clone();
        var lo = new int[k];
        var hi = new int[k];
        var previousLo = new int[k];
        var previousHi = new int[k];
        Array.Fill(previousLo, -1);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            Assign(sorted, centers, lo, hi);
            var sums = new double[k];
            var counts = new double[k];
            for (int c = 0; c < k; c++)
            {
                counts[c] = hi[c] - lo[c];
                sums[c] = prefix[hi[c]] - prefix[lo[c]];
            }
            RelocateEmptyClusters(sorted, centers, lo, hi, sums, counts);

            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                double updated = counts[c] > 0 ? sums[c] / counts[c] : centers[c];
                shift += (updated - centers[c]) * (updated - centers[c]);
                centers[c] = updated;
            }
            if (lo.AsSpan().SequenceEqual(previousLo) && hi.AsSpan().SequenceEqual(previousHi))
                break; // strict convergence: the labels did not change
            if (shift <= tolerance)
                break;
            lo.CopyTo(previousLo, 0);
            hi.CopyTo(previousHi, 0);
        }
        return centers;
    }

    /// <summary>
    /// Nearest-centre assignment as ranges [lo, hi) of the sorted values. Ties go to the centre with the
    /// lower index, as scikit-learn's strict "&lt;" scan; a centre that equals an earlier one gets no points.
    /// </summary>
    private static void Assign(ReadOnlySpan<double> sorted, double[] centers, int[] lo, int[] hi)
    {
        int k = centers.Length;
        var order = Enumerable.Range(0, k).OrderBy(c => centers[c]).ThenBy(c => c).ToArray();
        Array.Fill(lo, 0);
        Array.Fill(hi, 0);
        int start = 0;
        for (int r = 0; r < k; r++)
        {
            int c = order[r];
            int end;
            if (r == k - 1)
            {
                end = sorted.Length;
            }
            else
            {
                int next = order[r + 1];
                double mid = (centers[c] + centers[next]) * 0.5;
                // Points below the midpoint are closer to c; points exactly at it are tied and go to the lower index.
                end = c < next ? UpperBound(sorted, mid) : LowerBound(sorted, mid);
                end = Math.Max(end, start);
            }
            lo[c] = start;
            hi[c] = end;
            start = end;
        }
    }

    /// <summary>
    /// Gives each empty cluster the point farthest from its own centre (largest distances first), moving it
    /// out of its cluster, as scikit-learn's <c>_relocate_empty_clusters_dense</c>. Candidates are the ends
    /// of each cluster's range, walked inwards.
    /// </summary>
    private static void RelocateEmptyClusters(ReadOnlySpan<double> sorted, double[] centers, int[] lo, int[] hi, double[] sums, double[] counts)
    {
        var empty = Enumerable.Range(0, centers.Length).Where(c => counts[c] == 0).ToArray();
        if (empty.Length == 0)
            return;
        var left = (int[])lo.Clone();
        var right = (int[])hi.Clone();
        foreach (int target in empty)
        {
            int bestCluster = -1, bestIndex = -1;
            double bestDistance = -1;
            for (int c = 0; c < centers.Length; c++)
            {
                if (left[c] >= right[c])
                    continue;
                foreach (int i in new[] { left[c], right[c] - 1 })
                {
                    double d = (sorted[i] - centers[c]) * (sorted[i] - centers[c]);
                    if (d > bestDistance)
                    {
                        bestDistance = d;
                        bestCluster = c;
                        bestIndex = i;
                    }
                }
            }
            if (bestCluster < 0)
                return;
            if (bestIndex == left[bestCluster]) left[bestCluster]++;
            else right[bestCluster]--;
            double x = sorted[bestIndex];
            sums[bestCluster] -= x;
            counts[bestCluster] -= 1;
            sums[target] = x;
            counts[target] = 1;
        }
    }

    private static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
