using Mlx.Core.Data;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Which values of a slot count as outliers for <see cref="OutlierCatalog.FilterOutliers"/>: a per-slot interval fitted on
/// the data; a value outside it flags its row. Missing values (NaN) are never outliers.
/// </summary>
public abstract record OutlierRule
{
    private protected OutlierRule()
    {
    }

    /// <summary>Tukey's fences: [Q1 − k·IQR, Q3 + k·IQR], quartiles as numpy's linear percentiles (k = 1.5 by default).</summary>
    public static OutlierRule InterquartileRange(double k = 1.5) => k > 0 ? new IqrRule(k) : throw new ArgumentOutOfRangeException(nameof(k), k, "k must be positive.");

    /// <summary>|x − mean| ≤ threshold · standard deviation (population, as scipy's <c>zscore</c>).</summary>
    public static OutlierRule ZScore(double threshold = 3) => threshold > 0 ? new ZScoreRule(threshold) : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be positive.");

    /// <summary>
    /// Iglewicz and Hoaglin's modified z-score: 0.6745·|x − median| / MAD ≤ threshold (3.5 by default), MAD the median
    /// absolute deviation; robust to the outliers themselves.
    /// </summary>
    public static OutlierRule MedianAbsoluteDeviation(double threshold = 3.5) => threshold > 0 ? new MadRule(threshold) : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be positive.");

    /// <summary>The slot's interval of accepted values, or null when the rule cannot judge it (a spread of 0).</summary>
    internal abstract (double Lower, double Upper)? Bounds(SlotSample sample);

    /// <summary>numpy's linear percentile (q in [0, 1]) of <paramref name="values"/> (reordered in place).</summary>
    internal static double Percentile(Span<double> values, double q)
    {
        double position = q * (values.Length - 1);
        int below = (int)Math.Floor(position);
        double low = QuickSelect.Select(values, below);
        if (below + 1 >= values.Length)
            return low;
        double high = double.PositiveInfinity;
        foreach (double v in values[(below + 1)..])
            high = Math.Min(high, v);
        return low + (position - below) * (high - low);
    }
}

/// <summary>Tukey's fences; see <see cref="OutlierRule.InterquartileRange"/>.</summary>
public sealed record IqrRule(double K) : OutlierRule
{
    internal override (double Lower, double Upper)? Bounds(SlotSample sample)
    {
        var values = sample.ValuesForReordering;
        double q1 = Percentile(values, 0.25), q3 = Percentile(values, 0.75);
        return (q1 - K * (q3 - q1), q3 + K * (q3 - q1));
    }
}

/// <summary>The z-score rule; see <see cref="OutlierRule.ZScore"/>.</summary>
public sealed record ZScoreRule(double Threshold) : OutlierRule
{
    internal override (double Lower, double Upper)? Bounds(SlotSample sample)
    {
        var values = sample.Values;
        double mean = 0;
        foreach (double v in values)
            mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (double v in values)
            sum += (v - mean) * (v - mean);
        double std = Math.Sqrt(sum / values.Length);
        return std > 0 ? (mean - Threshold * std, mean + Threshold * std) : null;
    }
}

/// <summary>The modified z-score rule; see <see cref="OutlierRule.MedianAbsoluteDeviation"/>.</summary>
public sealed record MadRule(double Threshold) : OutlierRule
{
    internal override (double Lower, double Upper)? Bounds(SlotSample sample)
    {
        var values = sample.ValuesForReordering;
        double median = Percentile(values, 0.5);
        var deviations = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            deviations[i] = Math.Abs(values[i] - median);
        double mad = Percentile(deviations, 0.5);
        double half = Threshold * mad / 0.6745;
        return mad > 0 ? (median - half, median + half) : null;
    }
}
