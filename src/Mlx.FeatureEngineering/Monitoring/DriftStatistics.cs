namespace Mlx.FeatureEngineering;

/// <summary>The drift statistics between a reference and a current sample of one slot (sorted values, NaN excluded).</summary>
internal static class DriftStatistics
{
    /// <summary>
    /// The two-sample Kolmogorov–Smirnov statistic D = sup |F₁ − F₂| (= scipy's <c>ks_2samp</c>) and its asymptotic
    /// two-sided p-value from Kolmogorov's limiting distribution at √(nm / (n + m))·D (R's <c>ks.test</c> for large samples;
    /// scipy 1.10's "asymp" evaluates the finite-n distribution at n = round(nm / (n + m)) instead, a few % apart).
    /// </summary>
    public static (double Statistic, double PValue) KolmogorovSmirnov(ReadOnlySpan<float> reference, ReadOnlySpan<float> current)
    {
        int n = reference.Length, m = current.Length, i = 0, j = 0;
        double d = 0;
        while (i < n && j < m)
        {
            float v = Math.Min(reference[i], current[j]);
            while (i < n && reference[i] == v)
                i++;
            while (j < m && current[j] == v)
                j++;
            d = Math.Max(d, Math.Abs((double)i / n - (double)j / m));
        }
        double en = Math.Sqrt((double)n * m / (n + m));
        return (d, KolmogorovSurvival(en * d));
    }

    // Kolmogorov's limiting distribution, P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²} (scipy's kstwobign.sf).
    private static double KolmogorovSurvival(double x)
    {
        if (x <= 0)
            return 1;
        if (x < 0.2)
            return 1; // the series converges slowly here; the probability is 1 to 1e-12
        double sum = 0;
        for (int k = 1; k <= 100; k++)
        {
            double term = Math.Exp(-2.0 * k * k * x * x);
            sum += (k % 2 == 1 ? 1 : -1) * term;
            if (term < 1e-17)
                break;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>
    /// Shares of <paramref name="sorted"/> in the bins cut by <paramref name="edges"/> (bin b holds edges[b − 1] &lt; x ≤ edges[b];
    /// the first and last bins are open).
    /// </summary>
    public static double[] Shares(ReadOnlySpan<float> sorted, double[] edges)
    {
        var shares = new double[edges.Length + 1];
        int bin = 0;
        foreach (float v in sorted)
        {
            while (bin < edges.Length && v > edges[bin])
                bin++;
            shares[bin]++;
        }
        for (int b = 0; b < shares.Length; b++)
            shares[b] /= Math.Max(1, sorted.Length);
        return shares;
    }

    /// <summary>Population stability index Σ (a − e)·ln(a / e), empty bins counted as 1e-4 (the usual convention).</summary>
    public static double PopulationStability(double[] expected, double[] actual)
    {
        const double Floor = 1e-4;
        double psi = 0;
        for (int b = 0; b < expected.Length; b++)
        {
            double e = Math.Max(expected[b], Floor), a = Math.Max(actual[b], Floor);
            psi += (a - e) * Math.Log(a / e);
        }
        return psi;
    }

    /// <summary>
    /// How likely a PSI this large is from sampling alone, when both samples come from one distribution: PSI is the
    /// symmetric Kullback–Leibler divergence of the binned shares, and n·m/(n + m) times it is asymptotically χ² with
    /// bins − 1 degrees of freedom (Kullback 1959; the same approximation as the G-test's). Over 10 bins, 60 new rows give
    /// a PSI of about 0.15 by chance alone, so PSI ≥ 0.2 on its own flags noise on small samples.
    /// </summary>
    /// <param name="psi">The population stability index.</param>
    /// <param name="bins">Bins (or categories) it was computed over.</param>
    /// <param name="expectedRows">Rows behind the reference shares.</param>
    /// <param name="actualRows">Rows behind the new shares.</param>
    public static double PopulationStabilityPValue(double psi, int bins, long expectedRows, long actualRows)
    {
        if (!(psi >= 0) || bins < 2 || expectedRows <= 0 || actualRows <= 0)
            return double.NaN;
        double statistic = psi * ((double)expectedRows * actualRows / (expectedRows + actualRows));
        return 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(bins - 1, statistic);
    }

    /// <summary>Jensen–Shannon distance (natural logarithm, as scipy's <c>jensenshannon</c>): √(½ KL(p‖m) + ½ KL(q‖m)).</summary>
    public static double JensenShannon(double[] p, double[] q)
    {
        double divergence = 0;
        for (int b = 0; b < p.Length; b++)
        {
            double m = (p[b] + q[b]) / 2;
            if (p[b] > 0)
                divergence += 0.5 * p[b] * Math.Log(p[b] / m);
            if (q[b] > 0)
                divergence += 0.5 * q[b] * Math.Log(q[b] / m);
        }
        return Math.Sqrt(Math.Max(0, divergence));
    }
}
