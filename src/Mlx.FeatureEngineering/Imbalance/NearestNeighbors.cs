using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The k nearest rows (squared Euclidean distance, exact, brute force) of each row within a set of rows, itself excluded —
/// scikit-learn's <c>NearestNeighbors(k + 1).kneighbors(X)[:, 1:]</c> as SMOTE uses it; equal distances in row order.
/// The set is transposed (features × rows) so each query's distances to a vector of rows accumulate in one register;
/// a vector of distances none of which beats the current k-th is skipped in one comparison. Queries run on all cores.
/// </summary>
internal static class NearestNeighbors
{
    /// <summary>For each of <paramref name="rows"/> (indices into <paramref name="features"/>), the positions in <paramref name="rows"/> of its k nearest others.</summary>
    public static int[][] Within(float[] features, int dimension, int[] rows, int k)
    {
        int m = rows.Length;
        var transposed = new float[dimension * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < dimension; j++)
                transposed[j * m + i] = features[rows[i] * dimension + j];
        var result = new int[m][];
        Parallel.For(0, m, () => new float[m], (i, _, distances) =>
        {
            Distances(transposed, dimension, m, features.AsSpan(rows[i] * dimension, dimension), distances);
            distances[i] = float.PositiveInfinity;
            result[i] = Smallest(distances, k);
            return distances;
        }, _ => { });
        return result;
    }

    /// <summary>
    /// For each query row (row-major, <paramref name="dimension"/> values each), the nearest reference row and its
    /// Euclidean distance (ties: the first row).
    /// </summary>
    public static (int Row, double Distance)[] Nearest(float[] queries, float[] references, int dimension)
    {
        int m = references.Length / dimension, n = queries.Length / dimension;
        var transposed = new float[dimension * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < dimension; j++)
                transposed[j * m + i] = references[i * dimension + j];
        var result = new (int, double)[n];
        Parallel.For(0, n, () => new float[m], (q, _, distances) =>
        {
            Distances(transposed, dimension, m, queries.AsSpan(q * dimension, dimension), distances);
            int best = 0;
            for (int i = 1; i < m; i++)
            {
                if (distances[i] < distances[best])
                    best = i;
            }
            result[q] = (best, Math.Sqrt(distances[best]));
            return distances;
        }, _ => { });
        return result;
    }

    // distances[c] = Σ_j (query[j] − T[j, c])², eight (or sixteen) candidates per register.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Distances(float[] transposed, int dimension, int m, ReadOnlySpan<float> query, float[] distances)
    {
        int width = Vector<float>.Count, vectorized = m / width * width, blocked = m / (4 * width) * (4 * width);
        ref float t0 = ref MemoryMarshal.GetArrayDataReference(transposed);
        ref float d0 = ref MemoryMarshal.GetArrayDataReference(distances);
        int c0 = 0;
        // Four vectors of candidates at a time: four independent accumulation chains (one waits on the add latency).
        for (; c0 < blocked; c0 += 4 * width)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int j = 0; j < dimension; j++)
            {
                var q = new Vector<float>(query[j]);
                nuint at = (nuint)(j * m + c0);
                var e0 = Vector.LoadUnsafe(ref t0, at) - q;
                var e1 = Vector.LoadUnsafe(ref t0, at + (nuint)width) - q;
                var e2 = Vector.LoadUnsafe(ref t0, at + (nuint)(2 * width)) - q;
                var e3 = Vector.LoadUnsafe(ref t0, at + (nuint)(3 * width)) - q;
                a0 = Vector.FusedMultiplyAdd(e0, e0, a0);
                a1 = Vector.FusedMultiplyAdd(e1, e1, a1);
                a2 = Vector.FusedMultiplyAdd(e2, e2, a2);
                a3 = Vector.FusedMultiplyAdd(e3, e3, a3);
            }
            a0.StoreUnsafe(ref d0, (nuint)c0);
            a1.StoreUnsafe(ref d0, (nuint)(c0 + width));
            a2.StoreUnsafe(ref d0, (nuint)(c0 + 2 * width));
            a3.StoreUnsafe(ref d0, (nuint)(c0 + 3 * width));
        }
        for (int c = c0; c < vectorized; c += width)
        {
            var acc = Vector<float>.Zero;
            for (int j = 0; j < dimension; j++)
            {
                var diff = Vector.LoadUnsafe(ref t0, (nuint)(j * m + c)) - new Vector<float>(query[j]);
                acc = Vector.FusedMultiplyAdd(diff, diff, acc);
            }
            acc.StoreUnsafe(ref d0, (nuint)c);
        }
        for (int c = vectorized; c < m; c++)
        {
            float acc = 0;
            for (int j = 0; j < dimension; j++)
            {
                float diff = transposed[j * m + c] - query[j];
                acc = MathF.FusedMultiplyAdd(diff, diff, acc);
            }
            distances[c] = acc;
        }
    }

    // The k indices of the smallest distances, nearest first, ties by index (a bounded insertion: k is small).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Smallest(float[] distances, int k)
    {
        var best = new int[k];
        var bestDistance = new float[k];
        Array.Fill(bestDistance, float.PositiveInfinity);
        int count = 0, width = Vector<float>.Count;
        for (int start = 0; start < distances.Length; start += width)
        {
            int end = Math.Min(start + width, distances.Length);
            // Skip a whole vector when the k best are found and none of its distances beats the k-th.
            if (count == k && end - start == width && Vector.GreaterThanOrEqualAll(new Vector<float>(distances, start), new Vector<float>(bestDistance[k - 1])))
                continue;
            for (int j = start; j < end; j++)
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
                best[at] = j;
                count = Math.Min(count + 1, k);
            }
        }
        return best;
    }
}
