using System.Numerics.Tensors;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The k nearest rows (squared Euclidean distance, exact, brute force) of each row within a set of rows, itself excluded —
/// scikit-learn's <c>NearestNeighbors(k + 1).kneighbors(X)[:, 1:]</c> as SMOTE uses it; equal distances in row order.
/// Rows are split over the cores.
/// </summary>
internal static class NearestNeighbors
{
    /// <summary>For each of <paramref name="rows"/> (indices into <paramref name="features"/>), the positions in <paramref name="rows"/> of its k nearest others.</summary>
    public static int[][] Within(float[] features, int dimension, int[] rows, int k)
    {
        var result = new int[rows.Length][];
        Parallel.For(0, rows.Length, () => (new float[rows.Length], new int[rows.Length]), (i, _, scratch) =>
        {
            var (distances, order) = scratch;
            var x = features.AsSpan(rows[i] * dimension, dimension);
            for (int j = 0; j < rows.Length; j++)
            {
                distances[j] = j == i ? float.PositiveInfinity : TensorPrimitives.Distance(x, features.AsSpan(rows[j] * dimension, dimension));
                order[j] = j;
            }
            result[i] = Smallest(distances, order, k);
            return scratch;
        }, _ => { });
        return result;
    }

    // The k indices of the smallest distances, nearest first, ties by index (a bounded insertion: k is small).
    private static int[] Smallest(float[] distances, int[] order, int k)
    {
        var best = new int[k];
        var bestDistance = new float[k];
        int count = 0;
        for (int j = 0; j < distances.Length; j++)
        {
            float d = distances[j];
            if (count == k && !(d < bestDistance[k - 1]))
                continue;
            int at = Math.Min(count, k - 1);
            while (at > 0 && d < bestDistance[at - 1])
            {
                bestDistance[at] = bestDistance[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            bestDistance[at] = d;
            best[at] = order[j];
            count = Math.Min(count + 1, k);
        }
        return best;
    }
}
