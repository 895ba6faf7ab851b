using System.Numerics;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.Discretization;

/// <summary>
/// Lloyd's k-means on one dimension, reproducing scikit-learn 1.2's arithmetic bit for bit
/// (<c>KMeans(init=centres, n_init=1)</c> on 2 OpenMP threads, as <c>KBinsDiscretizer(strategy='kmeans')</c> runs it):
/// <list type="bullet">
/// <item>the data and the initial centres are centred on numpy's mean (pairwise summation);</item>
/// <item>a point goes to the centre with the smallest <c>‖c‖² − 2·x·c</c> in float64 (the GEMM form, without ‖x‖²),
/// the first such centre on an exact tie. On integer data, points midway between two centres are common, and the
/// rounding of this form, not the exact midpoint, decides where they go; Lloyd can then end at another fixed point;</item>
/// <item>new centres are per-cluster sums in row order within scikit-learn's 256-row chunks, split over two threads as
/// OpenMP's static schedule splits them and then added, times the reciprocal of the count;</item>
/// <item>max 300 iterations; stop when labels repeat or the squared centre shift is ≤ 1e-4 × variance; an empty cluster
/// takes the point farthest from its centre.</item>
/// </list>
/// scikit-learn's own result depends on its thread count in the last bits of the centres; 2 threads (this project's
/// reference machine) is fixed here so that Mlx is deterministic everywhere. Cost per iteration: O(n·k) SIMD to label,
/// O(n) to sum.
/// </summary>
internal static class KMeans1D
{
    private const int MaxIterations = 300;
    private const double RelativeTolerance = 1e-4;
    private const int ChunkSize = 256;       // scikit-learn's CHUNK_SIZE
    private const int ReferenceThreads = 2;  // OpenMP threads of the reference run

    /// <summary>Returns the final centres, in the order of <paramref name="initialCenters"/>.</summary>
    /// <param name="values">The values in row order (the order decides the rounding of the sums).</param>
    /// <param name="initialCenters">The initial centres.</param>
    public static double[] Fit(ReadOnlySpan<double> values, double[] initialCenters)
    {
        int n = values.Length, k = initialCenters.Length;
        double mean = NumpySum.Mean(values);
        var centered = new double[n];
        var squares = new double[n];
        for (int i = 0; i < n; i++)
        {
            centered[i] = values[i] - mean;
            squares[i] = centered[i] * centered[i];
        }
        double tolerance = NumpySum.Mean(squares) * RelativeTolerance; // np.var(X) * tol

        var centers = new double[k];
        for (int c = 0; c < k; c++)
            centers[c] = initialCenters[c] - mean;
        var labels = new int[n];
        var previous = new int[n];
        var squaredNorms = new double[k];
        var sums = new double[k];
        var counts = new double[k];
        var partSums = new double[k];
        var partCounts = new double[k];
        bool first = true;
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            for (int c = 0; c < k; c++)
                squaredNorms[c] = centers[c] * centers[c];
            Label(centered, centers, squaredNorms, labels);

            Array.Clear(sums);
            Array.Clear(counts);
            foreach (var (start, end) in ThreadRanges(n))
            {
                Array.Clear(partSums);
                Array.Clear(partCounts);
                for (int i = start; i < end; i++)
                {
                    int label = labels[i];
                    partSums[label] += centered[i];
                    partCounts[label] += 1;
                }
                for (int c = 0; c < k; c++)
                {
                    sums[c] += partSums[c];
                    counts[c] += partCounts[c];
                }
            }
            RelocateEmptyClusters(centered, labels, centers, sums, counts);

            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                double updated = counts[c] > 0 ? sums[c] * (1.0 / counts[c]) : sums[c];
                double distance = Math.Sqrt((updated - centers[c]) * (updated - centers[c]));
                shift += distance * distance;
                centers[c] = updated;
            }
            if (!first && labels.AsSpan().SequenceEqual(previous))
                break; // strict convergence: the labels did not change
            if (shift <= tolerance)
                break;
            labels.CopyTo(previous, 0);
            first = false;
        }
        for (int c = 0; c < k; c++)
            centers[c] += mean;
        return centers;
    }

    /// <summary>
    /// Each row's centre: the smallest <c>‖c‖² − 2·x·c</c>, the first on a tie (scikit-learn's strict "&lt;"). SIMD and
    /// branch-free (exact IEEE products and sums lane by lane, so the same bits as the scalar form).
    /// </summary>
    private static void Label(double[] x, double[] centers, double[] squaredNorms, int[] labels)
    {
        int n = x.Length, k = centers.Length, width = Vector<double>.Count, i = 0;
        var minusTwo = new Vector<double>(-2.0);
        for (; i <= n - width; i += width)
        {
            var v = new Vector<double>(x, i);
            var best = new Vector<double>(squaredNorms[0]) + minusTwo * (v * new Vector<double>(centers[0]));
            var label = Vector<long>.Zero;
            for (int c = 1; c < k; c++)
            {
                var distance = new Vector<double>(squaredNorms[c]) + minusTwo * (v * new Vector<double>(centers[c]));
                var closer = Vector.LessThan(distance, best);
                best = Vector.ConditionalSelect(closer, distance, best);
                label = Vector.ConditionalSelect(closer, new Vector<long>(c), label);
            }
            for (int lane = 0; lane < width; lane++)
                labels[i + lane] = (int)label[lane];
        }
        for (; i < n; i++)
        {
            int best = 0;
            double bestDistance = squaredNorms[0] + -2.0 * (x[i] * centers[0]);
            for (int c = 1; c < k; c++)
            {
                double distance = squaredNorms[c] + -2.0 * (x[i] * centers[c]);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }
            labels[i] = best;
        }
    }

    /// <summary>
    /// The rows each of scikit-learn's OpenMP threads sums: chunks of 256 rows (the remainder its own chunk), split
    /// over the threads by the static schedule (the first threads take one chunk more).
    /// </summary>
    private static IEnumerable<(int Start, int End)> ThreadRanges(int n)
    {
        int chunk = n > ChunkSize ? ChunkSize : n;
        int chunks = (n + chunk - 1) / chunk;
        int threads = Math.Min(ReferenceThreads, chunks);
        int each = chunks / threads, extra = chunks % threads, next = 0;
        for (int t = 0; t < threads; t++)
        {
            int take = each + (t < extra ? 1 : 0);
            yield return (next * chunk, Math.Min((next + take) * chunk, n));
            next += take;
        }
    }

    /// <summary>
    /// Gives each empty cluster the row farthest from its own (old) centre, largest distances first, moving it out of
    /// its cluster's sum, as scikit-learn's <c>_relocate_empty_clusters_dense</c> (whose order among equal distances
    /// numpy's argpartition leaves unspecified; here the first row wins).
    /// </summary>
    private static void RelocateEmptyClusters(double[] centered, int[] labels, double[] centers, double[] sums, double[] counts)
    {
        var empty = Enumerable.Range(0, centers.Length).Where(c => counts[c] == 0).ToArray();
        if (empty.Length == 0)
            return;
        var distances = new double[centered.Length];
        for (int i = 0; i < centered.Length; i++)
        {
            double d = centered[i] - centers[labels[i]];
            distances[i] = d * d;
        }
        var farthest = Enumerable.Range(0, centered.Length).OrderByDescending(i => distances[i]).ThenBy(i => i).Take(empty.Length).ToArray();
        for (int e = 0; e < farthest.Length; e++)
        {
            int row = farthest[e], from = labels[row], to = empty[e];
            sums[from] -= centered[row];
            sums[to] = centered[row];
            counts[to] = 1;
            counts[from] -= 1;
        }
    }
}
