using MathNet.Numerics;

namespace Mlx.FeatureEngineering.Selection.Filter;

/// <summary>
/// The filter statistics of scikit-learn's <c>chi2</c>, <c>f_classif</c>, <c>r_regression</c>/<c>f_regression</c>,
/// with p-values from the regularized incomplete gamma and beta functions (accurate in the far tail).
/// Pure numerics on per-class or per-slot sums.
/// </summary>
internal static class FilterStatistics
{
    /// <summary>chi2: observed = per-class sums, expected = class share × slot total; df = classes − 1.</summary>
    public static (double[] Scores, double[] PValues) ChiSquare(long[] counts, double[][] classSums)
    {
        int k = counts.Length, d = classSums[0].Length;
        double n = counts.Sum();
        var scores = new double[d];
        var p = new double[d];
        for (int j = 0; j < d; j++)
        {
            double total = 0;
            for (int c = 0; c < k; c++)
                total += classSums[c][j];
            double chi2 = 0;
            for (int c = 0; c < k; c++)
            {
                double expected = counts[c] / n * total;
                double diff = classSums[c][j] - expected;
                chi2 += diff * diff / expected; // 0/0 = NaN for an all-zero slot, as scikit-learn
            }
            scores[j] = chi2;
            p[j] = ChiSquareSurvival(chi2, k - 1);
        }
        return (scores, p);
    }

    /// <summary>f_classif: F = (SS_between / (k − 1)) / (SS_within / (n − k)), from shifted sums.</summary>
    public static (double[] Scores, double[] PValues) AnovaF(long[] counts, double[][] shiftedSums, double[][] shiftedSquares)
    {
        int k = counts.Length, d = shiftedSums[0].Length;
        double n = counts.Sum();
        var scores = new double[d];
        var p = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0, squares = 0, between = 0;
            for (int c = 0; c < k; c++)
            {
                sum += shiftedSums[c][j];
                squares += shiftedSquares[c][j];
                between += shiftedSums[c][j] * shiftedSums[c][j] / counts[c];
            }
            double total = squares - sum * sum / n;
            between -= sum * sum / n;
            double within = total - between;
            double f = between / (k - 1) / (within / (n - k));
            scores[j] = f;
            p[j] = FSurvival(f, k - 1, n - k);
        }
        return (scores, p);
    }

    /// <summary>r_regression (Pearson r, from a scatter matrix over [x, y]) and f_regression p-values: F = r²/(1 − r²)·(n − 2).</summary>
    public static (double[] R, double[] PValues) Correlation(double[,] scatter, long n)
    {
        int d = scatter.GetLength(0) - 1;
        var r = new double[d];
        var p = new double[d];
        double syy = scatter[d, d];
        for (int j = 0; j < d; j++)
        {
            r[j] = scatter[j, d] / Math.Sqrt(scatter[j, j] * syy);
            double r2 = r[j] * r[j];
            double f = r2 / (1 - r2) * (n - 2);
            p[j] = FSurvival(f, 1, n - 2);
        }
        return (r, p);
    }

    /// <summary>P(χ²_df ≥ x).</summary>
    public static double ChiSquareSurvival(double x, double df) =>
        double.IsNaN(x) ? double.NaN : x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);

    /// <summary>P(F(d1, d2) ≥ f).</summary>
    public static double FSurvival(double f, double d1, double d2)
    {
        if (double.IsNaN(f))
            return double.NaN;
        if (f <= 0)
            return 1.0;
        if (double.IsPositiveInfinity(f))
            return 0.0;
        return SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
    }
}
