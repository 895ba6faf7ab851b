using System.Numerics.Tensors;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.Discretization;

/// <summary>
/// Bin edges of one slot as scikit-learn 1.2's <c>KBinsDiscretizer.fit</c> computes them, with numpy's
/// arithmetic reproduced (linspace, percentile's linear interpolation) so edges agree to the last bits.
/// Pure numerics on validated values (finite, at least one, not constant).
/// </summary>
internal static class BinEdges
{
    /// <summary>Bins narrower than this are dropped (quantile and k-means), as scikit-learn.</summary>
    private const double MinimumWidth = 1e-8;

    /// <summary>Edges for a constant slot: one bin (scikit-learn warns and maps every value to bin 0).</summary>
    public static double[] Constant() => [double.NegativeInfinity, double.PositiveInfinity];

    /// <summary>
    /// The double nearest to the shortest decimal that rounds to <paramref name="value"/> as a Single
    /// (12.55f → 12.55, not 12.5500001907). Single data usually comes from decimal text; uniform edges computed
    /// from these extremes land exactly where a float64 tool puts them, so values on the edge grid bin the same.
    /// The change is within the Single's rounding interval.
    /// </summary>
    public static double ShortestDecimal(double value) =>
        double.Parse(((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>np.linspace(min, max, bins + 1)</c>.</summary>
    public static double[] Uniform(double min, double max, int bins)
    {
        var edges = new double[bins + 1];
        double step = (max - min) / bins;
        for (int i = 0; i < bins; i++)
            edges[i] = i * step + min;
        edges[bins] = max;
        return edges;
    }

    /// <summary><c>np.percentile(values, np.linspace(0, 100, bins + 1))</c>; reorders <paramref name="values"/>.</summary>
    public static double[] Quantile(Span<double> values, double min, double max, int bins)
    {
        var percents = Uniform(0, 100, bins);
        var edges = new double[bins + 1];
        edges[0] = min;
        edges[bins] = max;
        int n = values.Length;
        int start = 0; // everything before start is <= values[start] after the previous selection
        for (int i = 1; i < bins; i++)
        {
            double position = percents[i] / 100.0 * (n - 1);
            int below = (int)Math.Floor(position);
            double t = position - below;
            double a = QuickSelect.Select(values[start..], below - start);
            start = below;
            double b = t > 0 && below + 1 < n ? TensorPrimitives.Min<double>(values[(below + 1)..]) : a;
            edges[i] = Lerp(a, b, t);
        }
        return DropNarrowBins(edges);
    }

    /// <summary>1-D k-means edges (see <see cref="KMeans1D"/>) of <paramref name="values"/> in row order.</summary>
    public static double[] KMeans(ReadOnlySpan<double> values, double min, double max, int bins)
    {
        var uniform = Uniform(min, max, bins);
        var init = new double[bins];
        for (int i = 0; i < bins; i++)
            init[i] = (uniform[i + 1] + uniform[i]) * 0.5;
        var centers = KMeans1D.Fit(values, init);
        Array.Sort(centers);
        var edges = new double[bins + 1];
        edges[0] = min;
        edges[bins] = max;
        for (int i = 1; i < bins; i++)
            edges[i] = (centers[i] + centers[i - 1]) * 0.5;
        return DropNarrowBins(edges);
    }

    /// <summary>
    /// The inner edges (all but the first and last) rounded to Single, for <see cref="BinOf"/>. Data arrives
    /// as Single, so a value that equals an edge in the source text (3.3 and an edge at 3.3) must compare
    /// equal: in double, 3.3f = 3.2999999523 would fall below the edge.
    /// </summary>
    public static float[] InnerEdgesAsSingle(double[] edges) => edges[1..^1].Select(e => (float)e).ToArray();

    /// <summary>The bin of x: the number of inner edges ≤ x (<c>np.searchsorted(edges[1:-1], x, side='right')</c>).</summary>
    public static int BinOf(ReadOnlySpan<float> innerEdges, float x)
    {
        if (innerEdges.Length <= 16)
        {
            // Branch-free count: on random data a binary search mispredicts about every comparison.
            int count = 0;
            foreach (var e in innerEdges)
                count += e <= x ? 1 : 0;
            return count;
        }
        int lo = 0, hi = innerEdges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (innerEdges[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>numpy's <c>_lerp</c>: a + (b − a)·t, computed from b's side when t ≥ 0.5.</summary>
    private static double Lerp(double a, double b, double t)
    {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }


    /// <summary>Keeps the first edge and every edge more than 1e-8 above its predecessor (numpy's <c>ediff1d(edges, to_begin=inf) &gt; 1e-8</c> mask).</summary>
    private static double[] DropNarrowBins(double[] edges)
    {
        var kept = new List<double>(edges.Length) { edges[0] };
        for (int i = 1; i < edges.Length; i++)
        {
            if (edges[i] - edges[i - 1] > MinimumWidth)
                kept.Add(edges[i]);
        }
        return kept.Count == edges.Length ? edges : kept.ToArray();
    }
}
