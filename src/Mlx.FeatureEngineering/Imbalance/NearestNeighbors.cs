using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The k nearest rows (Euclidean distance, exact, brute force) of each row within a set of rows, itself excluded —
/// scikit-learn's <c>NearestNeighbors(k + 1).kneighbors(X)[:, 1:]</c> as SMOTE uses it; equal distances in row order.
/// </summary>
/// <remarks>
/// Two passes. The scan ranks every candidate by ‖c‖² − 2 q·c (the squared distance less the query's own ‖q‖²: one FMA
/// per feature) in float32 on coordinates centred on the set's mean and scaled by a power of two; four queries share each
/// candidate load, and each block of values is compared with the queries' bars while still in registers, so a block none
/// of which can enter costs one comparison. The bar is the k-th best value so far plus twice a bound on the float32
/// rounding (<see cref="RoundingBound"/>), so the scan keeps a superset of the true k nearest. The second pass computes
/// the kept candidates' squared distances in double, Σ (c − q)², from the original values (no float32 underflow or
/// cancellation; scikit-learn also ranks float32 data in float64) and picks the k smallest, ties by position: the result
/// does not depend on the approximation. Query blocks run on all cores.
/// </remarks>
internal static class NearestNeighbors
{
    /// <summary>For each of <paramref name="rows"/> (indices into <paramref name="features"/>), the positions in <paramref name="rows"/> of its k nearest others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[][] Within(float[] features, int dimension, int[] rows, int k)
    {
        int m = rows.Length, block = 2 * Vector<float>.Count, padded = (m + block - 1) / block * block;
        var mean = new double[dimension];
        foreach (int row in rows)
            for (int j = 0; j < dimension; j++)
                mean[j] += features[row * dimension + j];
        double largest = 0;
        for (int j = 0; j < dimension; j++)
        {
            mean[j] /= m;
            foreach (int row in rows)
                largest = Math.Max(largest, Math.Abs(features[row * dimension + j] - mean[j]));
        }
        // A power of two brings the centred norms near 1 (exact scaling): no overflow of ‖c‖², whatever the units.
        double scale = largest > 0 ? Math.ScaleB(1, -Math.ILogB(largest * Math.Sqrt(dimension)) - 1) : 1;
        var queries = new float[m * dimension];
        var transposed = new float[dimension * padded];
        // Padding columns: an infinite ‖c‖² keeps them out of the k best (they are also skipped by position).
        var squaredNorms = new float[padded];
        Array.Fill(squaredNorms, float.PositiveInfinity, m, padded - m);
        var norms = new double[m];
        double maxNorm = 0;
        for (int i = 0; i < m; i++)
        {
            double sum = 0;
            for (int j = 0; j < dimension; j++)
            {
                float v = (float)((features[rows[i] * dimension + j] - mean[j]) * scale);
                queries[i * dimension + j] = v;
                transposed[j * padded + i] = v;
                sum += (double)v * v;
            }
            squaredNorms[i] = (float)sum;
            norms[i] = Math.Sqrt(sum);
            maxNorm = Math.Max(maxNorm, norms[i]);
        }
        var result = new int[m][];
        Parallel.For(0, (m + 3) / 4, quad => SearchFour(quad, transposed, squaredNorms, padded, m, dimension, queries, norms, maxNorm, features, rows, k, result));
        return result;
    }

    // Queries 4·quad … 4·quad + 3 (the last block repeats its last query when m is not a multiple of four: the same answer
    // written twice). The hot methods here are optimized at once: a search runs a few times per process, too few calls
    // for tiered compilation to promote them before the work is done.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SearchFour(int quad, float[] transposed, float[] squaredNorms, int padded, int m, int dimension, float[] queries, double[] norms, double maxNorm,
        float[] features, int[] rows, int k, int[][] result)
    {
        Span<int> four = [4 * quad, Math.Min(4 * quad + 1, m - 1), Math.Min(4 * quad + 2, m - 1), Math.Min(4 * quad + 3, m - 1)];
        var nearest = new KNearest[4];
        for (int q = 0; q < 4; q++)
            nearest[q] = new KNearest(k, (float)(2 * RoundingBound(dimension, norms[four[q]], maxNorm)));
        FourQueries(transposed, squaredNorms, padded, m, dimension, queries, four, nearest);
        for (int q = 0; q < 4; q++)
            result[four[q]] = nearest[q].Exact(features, dimension, rows, four[q]);
    }

    /// <summary>
    /// A bound on |computed (‖c‖² − 2 q·c) − (‖q − c‖² − ‖q‖²)| for a query of norm <paramref name="queryNorm"/> and
    /// candidates of norm at most <paramref name="maxNorm"/> (scaled units): with unit roundoff u = 2⁻²⁴, the dot product's
    /// d FMAs err by at most d·u·‖q‖‖c‖ (twice that after the ×2), ‖c‖² and the final FMA by u·(‖c‖² + 2‖q‖‖c‖), and the
    /// centring and scaling by u per coordinate (2u·(‖q‖ + ‖c‖)² on the distance): all below (2d + 8)·u·(‖q‖ + ‖c‖)², here
    /// doubled. The absolute term covers values in float32's subnormal range.
    /// </summary>
    private static double RoundingBound(int dimension, double queryNorm, double maxNorm) =>
        (4 * dimension + 16) * Math.ScaleB(1, -24) * (queryNorm + maxNorm) * (queryNorm + maxNorm) + 4 * dimension * Math.ScaleB(1, -126);

    // Four queries against every candidate, two vectors of candidates per step: eight accumulation chains, each candidate
    // load shared by the four queries.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourQueries(float[] transposed, float[] squaredNorms, int padded, int m, int dimension, float[] queries, ReadOnlySpan<int> four, KNearest[] nearest)
    {
        int width = Vector<float>.Count;
        ref float t = ref MemoryMarshal.GetArrayDataReference(transposed);
        ref float n = ref MemoryMarshal.GetArrayDataReference(squaredNorms);
        // The four queries interleaved (feature j of query q at 4j + q): one pointer for the four, few registers in the loop.
        Span<float> interleaved = stackalloc float[4 * dimension];
        for (int q = 0; q < 4; q++)
            for (int j = 0; j < dimension; j++)
                interleaved[4 * j + q] = queries[four[q] * dimension + j];
        ref float f = ref MemoryMarshal.GetReference(interleaved);
        var minusTwo = new Vector<float>(-2f);
        // The bars stay in memory (a broadcast per comparison): in registers they would push the accumulators onto the stack.
        Span<float> bars = [nearest[0].Bar, nearest[1].Bar, nearest[2].Bar, nearest[3].Bar];
        Span<float> lanes = stackalloc float[8 * width];
        for (int c0 = 0; c0 < padded; c0 += 2 * width)
        {
            Vector<float> a0 = default, a1 = default, b0 = default, b1 = default, c0v = default, c1 = default, d0 = default, d1 = default;
            nuint at = (nuint)c0;
            for (int j = 0; j < 4 * dimension; j += 4, at += (nuint)padded)
            {
                var v0 = Vector.LoadUnsafe(ref t, at);
                var v1 = Vector.LoadUnsafe(ref t, at + (nuint)width);
                ref float p = ref Unsafe.Add(ref f, j);
                var p0 = new Vector<float>(p);
                a0 = Vector.FusedMultiplyAdd(v0, p0, a0);
                a1 = Vector.FusedMultiplyAdd(v1, p0, a1);
                var p1 = new Vector<float>(Unsafe.Add(ref p, 1));
                b0 = Vector.FusedMultiplyAdd(v0, p1, b0);
                b1 = Vector.FusedMultiplyAdd(v1, p1, b1);
                var p2 = new Vector<float>(Unsafe.Add(ref p, 2));
                c0v = Vector.FusedMultiplyAdd(v0, p2, c0v);
                c1 = Vector.FusedMultiplyAdd(v1, p2, c1);
                var p3 = new Vector<float>(Unsafe.Add(ref p, 3));
                d0 = Vector.FusedMultiplyAdd(v0, p3, d0);
                d1 = Vector.FusedMultiplyAdd(v1, p3, d1);
            }
            var n0 = Vector.LoadUnsafe(ref n, (nuint)c0);
            var n1 = Vector.LoadUnsafe(ref n, (nuint)(c0 + width));
            a0 = Vector.FusedMultiplyAdd(a0, minusTwo, n0);
            a1 = Vector.FusedMultiplyAdd(a1, minusTwo, n1);
            b0 = Vector.FusedMultiplyAdd(b0, minusTwo, n0);
            b1 = Vector.FusedMultiplyAdd(b1, minusTwo, n1);
            c0v = Vector.FusedMultiplyAdd(c0v, minusTwo, n0);
            c1 = Vector.FusedMultiplyAdd(c1, minusTwo, n1);
            d0 = Vector.FusedMultiplyAdd(d0, minusTwo, n0);
            d1 = Vector.FusedMultiplyAdd(d1, minusTwo, n1);
            // A block goes to the queries only when one of its values is below its query's bar (always while fewer than k
            // are known). One test for the four queries keeps the rare call, which clobbers the vector registers, off the path.
            var keep = Vector.GreaterThanOrEqual(a0, new Vector<float>(bars[0])) & Vector.GreaterThanOrEqual(a1, new Vector<float>(bars[0]))
                & Vector.GreaterThanOrEqual(b0, new Vector<float>(bars[1])) & Vector.GreaterThanOrEqual(b1, new Vector<float>(bars[1]))
                & Vector.GreaterThanOrEqual(c0v, new Vector<float>(bars[2])) & Vector.GreaterThanOrEqual(c1, new Vector<float>(bars[2]))
                & Vector.GreaterThanOrEqual(d0, new Vector<float>(bars[3])) & Vector.GreaterThanOrEqual(d1, new Vector<float>(bars[3]));
            if (!Vector.EqualsAll(keep, Vector<int>.AllBitsSet))
            {
                a0.CopyTo(lanes);
                a1.CopyTo(lanes[width..]);
                b0.CopyTo(lanes[(2 * width)..]);
                b1.CopyTo(lanes[(3 * width)..]);
                c0v.CopyTo(lanes[(4 * width)..]);
                c1.CopyTo(lanes[(5 * width)..]);
                d0.CopyTo(lanes[(6 * width)..]);
                d1.CopyTo(lanes[(7 * width)..]);
                Offer(nearest, lanes, bars, c0, m, four);
            }
        }
    }

    // Offers a block's values (query by query, 2 × width candidates each) to the four queries.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Offer(KNearest[] nearest, ReadOnlySpan<float> lanes, Span<float> bars, int first, int m, ReadOnlySpan<int> four)
    {
        int block = lanes.Length / 4;
        for (int q = 0; q < 4; q++)
        {
            // Most blocks that reach here concern one of the four queries: the others cost a comparison.
            var values = lanes.Slice(q * block, block);
            var bar = new Vector<float>(bars[q]);
            if (!(Vector.GreaterThanOrEqualAll(new Vector<float>(values), bar) && Vector.GreaterThanOrEqualAll(new Vector<float>(values[(block / 2)..]), bar)))
                bars[q] = nearest[q].Offer(values, first, m, four[q]);
        }
    }

    /// <summary>
    /// One query's candidates: the k best approximate values so far (for the bar) and every candidate that was below the
    /// bar when offered, in position order.
    /// </summary>
    private sealed class KNearest(int k, float margin)
    {
        private readonly float[] _best = new float[k];
        private readonly List<(int Position, float Value)> _kept = new(4 * k);
        private int _count;

        /// <summary>The value a candidate must be below to be kept: NaN (no value is ≥ it) until k are known.</summary>
        public float Bar => _count == k ? _best[k - 1] + margin : float.NaN;

        /// <summary>Offers the candidates at positions <paramref name="first"/>…, skipping padding and the query itself; returns the new bar.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float Offer(ReadOnlySpan<float> lanes, int first, int m, int self)
        {
            for (int lane = 0; lane < lanes.Length; lane++)
            {
                int c = first + lane;
                float value = lanes[lane];
                if (c >= m || c == self || (_count == k && !(value < _best[k - 1] + margin)))
                    continue;
                _kept.Add((c, value));
                if (_count == k && !(value < _best[k - 1]))
                    continue;
                int at = Math.Min(_count, k - 1);
                while (at > 0 && value < _best[at - 1])
                {
                    _best[at] = _best[at - 1];
                    at--;
                }
                _best[at] = value;
                _count = Math.Min(_count + 1, k);
            }
            return Bar;
        }

        /// <summary>The positions of the k nearest by exact distance (double) among the kept candidates still within the final bar.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int[] Exact(float[] features, int dimension, int[] rows, int self)
        {
            float bar = _count == k ? _best[k - 1] + margin : float.PositiveInfinity;
            var best = new int[k];
            var distances = new double[k];
            int count = 0;
            var query = features.AsSpan(rows[self] * dimension, dimension);
            foreach (var (c, value) in _kept)
            {
                if (!(value < bar))
                    continue;
                var candidate = features.AsSpan(rows[c] * dimension, dimension);
                double d = 0;
                for (int j = 0; j < dimension; j++)
                {
                    double e = (double)candidate[j] - query[j];
                    d += e * e;
                }
                if (count == k && !(d < distances[k - 1]))
                    continue;
                int at = Math.Min(count, k - 1);
                while (at > 0 && d < distances[at - 1])
                {
                    distances[at] = distances[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                distances[at] = d;
                best[at] = c;
                count = Math.Min(count + 1, k);
            }
            return best;
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
}
