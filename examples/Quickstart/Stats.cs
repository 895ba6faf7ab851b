namespace Quickstart;

internal static class Stats
{
    /// <summary>Sample skewness (Fisher's g1, as scipy.stats.skew with bias=True).</summary>
    public static double Skewness(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        double mean = v.Average();
        double m2 = v.Average(x => (x - mean) * (x - mean));
        double m3 = v.Average(x => (x - mean) * (x - mean) * (x - mean));
        return m3 / Math.Pow(m2, 1.5);
    }
}
