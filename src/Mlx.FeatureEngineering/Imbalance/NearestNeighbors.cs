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
        // Queries two at a time: each candidate vector loaded once serves both.
        Parallel.For(0, (m + 1) / 2, () => (new float[m], new float[m]), (pair, _, buffers) =>
        {
            var (first, second) = buffers;
            int i = 2 * pair;
            var q0 = features.AsSpan(rows[i] * dimension, dimension);
            if (i + 1 < m)
            {
                DistancesOfTwo(transposed, dimension, m, q0, features.AsSpan(rows[i + 1] * dimension, dimension), first, second);
                second[i + 1] = float.PositiveInfinity;
                result[i + 1] = Smallest(second, k);
            }
            else
            {
                Distances(transposed, dimension, m, q0, first);
            }
            first[i] = float.PositiveInfinity;
            result[i] = Smallest(first, k);
            return buffers;
        }, _ => { });
        return result;
    }

    // The distances of two queries at once, four candidate vectors per step: eight accumulation chains, each candidate
    // load shared by both queries.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DistancesOfTwo(float[] transposed, int dimension, int m, ReadOnlySpan<float> query0, ReadOnlySpan<float> query1, float[] out0, float[] out1)
    {
        int width = Vector<float>.Count, blocked = m / (4 * width) * (4 * width);
        ref float t0 = ref MemoryMarshal.GetArrayDataReference(transposed);
        ref float o0 = ref MemoryMarshal.GetArrayDataReference(out0);
        ref float o1 = ref MemoryMarshal.GetArrayDataReference(out1);
        int c0 = 0;
        for (; c0 < blocked; c0 += 4 * width)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            for (int j = 0; j < dimension; j++)
            {
                var p = new Vector<float>(query0[j]);
                var q = new Vector<float>(query1[j]);
                nuint at = (nuint)(j * m + c0);
                var v0 = Vector.LoadUnsafe(ref t0, at);
                var v1 = Vector.LoadUnsafe(ref t0, at + (nuint)width);
                var v2 = Vector.LoadUnsafe(ref t0, at + (nuint)(2 * width));
                var v3 = Vector.LoadUnsafe(ref t0, at + (nuint)(3 * width));
                var e0 = v0 - p; a0 = Vector.FusedMultiplyAdd(e0, e0, a0);
                var e1 = v1 - p; a1 = Vector.FusedMultiplyAdd(e1, e1, a1);
                var e2 = v2 - p; a2 = Vector.FusedMultiplyAdd(e2, e2, a2);
                var e3 = v3 - p; a3 = Vector.FusedMultiplyAdd(e3, e3, a3);
                var f0 = v0 - q; b0 = Vector.FusedMultiplyAdd(f0, f0, b0);
                var f1 = v1 - q; b1 = Vector.FusedMultiplyAdd(f1, f1, b1);
                var f2 = v2 - q; b2 = Vector.FusedMultiplyAdd(f2, f2, b2);
                var f3 = v3 - q; b3 = Vector.FusedMultiplyAdd(f3, f3, b3);
            }
            a0.StoreUnsafe(ref o0, (nuint)c0);
            a1.StoreUnsafe(ref o0, (nuint)(c0 + width));
            a2.StoreUnsafe(ref o0, (nuint)(c0 + 2 * width));
            a3.StoreUnsafe(ref o0, (nuint)(c0 + 3 * width));
            b0.StoreUnsafe(ref o1, (nuint)c0);
            b1.StoreUnsafe(ref o1, (nuint)(c0 + width));
            b2.StoreUnsafe(ref o1, (nuint)(c0 + 2 * width));
            b3.StoreUnsafe(ref o1, (nuint)(c0 + 3 * width));
        }
        // The remaining candidates: one query at a time, from the first candidate not yet done.
        if (c0 < m)
        {
            Tail(transposed, dimension, m, query0, out0, c0);
            Tail(transposed, dimension, m, query1, out1, c0);
        }
    }

    private static void Tail(float[] transposed, int dimension, int m, ReadOnlySpan<float> query, float[] distances, int from)
    {
        for (int c = from; c < m; c++)
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
