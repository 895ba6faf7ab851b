using MathNet.Numerics;

namespace Mlx.FeatureEngineering.Selection.Filter;

/// <summary>
/// Mutual information estimators of scikit-learn's <c>_mutual_info.py</c>, in nats: exact counts for two
/// discrete variables; Ross (2014) k-NN for continuous vs discrete (<c>_compute_mi_cd</c>); Kraskov–Stögbauer–
/// Grassberger for continuous vs continuous (<c>_compute_mi_cc</c>, Chebyshev metric). Neighbour searches run
/// on sorted values (1-D ranges by binary search, 2-D k-NN by a sweep in x order) instead of KD-trees.
/// Pure numerics; the caller scales and jitters continuous data as scikit-learn does.
/// </summary>
internal static class MutualInformation
{
    /// <summary>MI of two discrete variables given as codes 0..levels−1 (<c>mutual_info_score</c>).</summary>
    public static double Discrete(ReadOnlySpan<int> x, int xLevels, ReadOnlySpan<int> y, int yLevels)
    {
        int n = x.Length;
        var joint = new long[xLevels * yLevels];
        var nx = new long[xLevels];
        var ny = new long[yLevels];
        for (int i = 0; i < n; i++)
        {
            joint[x[i] * yLevels + y[i]]++;
            nx[x[i]]++;
            ny[y[i]]++;
        }
        double mi = 0;
        for (int a = 0; a < xLevels; a++)
        {
            for (int b = 0; b < yLevels; b++)
            {
                long c = joint[a * yLevels + b];
                if (c > 0)
                    mi += (double)c / n * (Math.Log((double)c * n) - Math.Log((double)nx[a] * ny[b]));
            }
        }
        return Math.Max(0, mi);
    }

    /// <summary>MI of a continuous variable <paramref name="c"/> and a discrete one <paramref name="d"/> (codes), Ross's estimator.</summary>
    public static double ContinuousVsDiscrete(ReadOnlySpan<double> c, ReadOnlySpan<int> d, int levels, int neighbors)
    {
        int n = c.Length;
        var members = new List<int>[levels];
        for (int l = 0; l < levels; l++)
            members[l] = new List<int>();
        for (int i = 0; i < n; i++)
            members[d[i]].Add(i);

        var radius = new double[n];
        var k = new int[n];
        var labelCount = new int[n];
        var sortedValues = new List<double>(n);
        var cArray = c.ToArray();
        foreach (var group in members)
        {
            int count = group.Count;
            foreach (int i in group)
                labelCount[i] = count;
            if (count <= 1)
                continue;
            int kk = Math.Min(neighbors, count - 1);
            var order = group.OrderBy(i => cArray[i]).ToArray();
            var values = order.Select(i => cArray[i]).ToArray();
            for (int p = 0; p < values.Length; p++)
            {
                radius[order[p]] = Math.BitDecrement(KthNeighbourDistance(values, p, kk));
                k[order[p]] = kk;
            }
        }
        // Points alone in their class are ignored.
        var kept = Enumerable.Range(0, n).Where(i => labelCount[i] > 1).ToArray();
        if (kept.Length == 0)
            return 0;
        var all = kept.Select(i => cArray[i]).OrderBy(v => v).ToArray();
        double sumK = 0, sumLabel = 0, sumM = 0;
        foreach (int i in kept)
        {
            int m = CountWithin(all, cArray[i], radius[i]);
            sumK += SpecialFunctions.DiGamma(k[i]);
            sumLabel += SpecialFunctions.DiGamma(labelCount[i]);
            sumM += SpecialFunctions.DiGamma(m);
        }
        int nk = kept.Length;
        double mi = SpecialFunctions.DiGamma(nk) + sumK / nk - sumLabel / nk - sumM / nk;
        return Math.Max(0, mi);
    }

    /// <summary>MI of two continuous variables, KSG estimator with the Chebyshev metric.</summary>
    public static double ContinuousVsContinuous(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int neighbors)
    {
        int n = x.Length;
        var xs = x.ToArray();
        var ys = y.ToArray();
        var order = Enumerable.Range(0, n).OrderBy(i => xs[i]).ToArray();
        var sortedX = order.Select(i => xs[i]).ToArray();
        var sortedY = ys.OrderBy(v => v).ToArray();
        var heap = new double[neighbors];
        double sumX = 0, sumY = 0;
        for (int p = 0; p < n; p++)
        {
            int i = order[p];
            double r = Math.BitDecrement(KthChebyshev(sortedX, order, ys, p, heap));
            // nx + 1 and ny + 1 of scikit-learn: the counts include the point itself.
            sumX += SpecialFunctions.DiGamma(CountWithin(sortedX, xs[i], r));
            sumY += SpecialFunctions.DiGamma(CountWithin(sortedY, ys[i], r));
        }
        double mi = SpecialFunctions.DiGamma(n) + SpecialFunctions.DiGamma(neighbors) - sumX / n - sumY / n;
        return Math.Max(0, mi);
    }

    /// <summary>The distance from values[p] to its k-th nearest other value (values sorted).</summary>
    private static double KthNeighbourDistance(double[] values, int p, int k)
    {
        int left = p - 1, right = p + 1;
        double distance = 0;
        for (int step = 0; step < k; step++)
        {
            double dl = left >= 0 ? values[p] - values[left] : double.PositiveInfinity;
            double dr = right < values.Length ? values[right] - values[p] : double.PositiveInfinity;
            if (dl <= dr)
            {
                distance = dl;
                left--;
            }
            else
            {
                distance = dr;
                right++;
            }
        }
        return distance;
    }

    /// <summary>The k-th smallest Chebyshev distance from point order[p] to the others, sweeping outwards in x order.</summary>
    private static double KthChebyshev(double[] sortedX, int[] order, double[] y, int p, double[] heap)
    {
        int k = heap.Length, filled = 0;
        double x0 = sortedX[p], y0 = y[order[p]];
        int left = p - 1, right = p + 1;
        while (true)
        {
            double dl = left >= 0 ? x0 - sortedX[left] : double.PositiveInfinity;
            double dr = right < sortedX.Length ? sortedX[right] - x0 : double.PositiveInfinity;
            double dx = Math.Min(dl, dr);
            // Every further point is at least dx away: stop once the k-th best is no larger.
            if (double.IsPositiveInfinity(dx) || (filled == k && dx >= heap[k - 1]))
                break;
            int q = dl <= dr ? left-- : right++;
            double dist = Math.Max(dx, Math.Abs(y[order[q]] - y0));
            if (filled < k)
            {
                Insert(heap, filled++, dist);
            }
            else if (dist < heap[k - 1])
            {
                Insert(heap, k - 1, dist);
            }
        }
        return heap[k - 1];
    }

    /// <summary>Inserts into the sorted prefix heap[0..count) (dropping heap[count] when count is the last index).</summary>
    private static void Insert(double[] heap, int count, double value)
    {
        int i = count;
        while (i > 0 && heap[i - 1] > value)
        {
            heap[i] = heap[i - 1];
            i--;
        }
        heap[i] = value;
    }

    /// <summary>How many sorted values v satisfy |v − center| ≤ r (the center itself included).</summary>
    private static int CountWithin(double[] sorted, double center, double r)
    {
        // First index with center − v <= r, and first index with v − center > r.
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (center - sorted[mid] > r) lo = mid + 1;
            else hi = mid;
        }
        int start = lo;
        hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] - center <= r) lo = mid + 1;
            else hi = mid;
        }
        return lo - start;
    }
}
