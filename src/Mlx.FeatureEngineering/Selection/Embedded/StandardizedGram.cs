namespace Mlx.FeatureEngineering.Selection.Embedded;

/// <summary>
/// The normal equations of a linear model on standardized features (StandardScaler, ddof 0; zero-variance
/// slots stay 0) and a centred target, from the scatter matrix of [x, y]: G = XsᵀXs/n, b = Xsᵀyc/n, yy = ycᵀyc/n.
/// </summary>
internal sealed record StandardizedGram(double[,] G, double[] B, double YY, double[] Means, double[] Scales, double TargetMean, long Rows)
{
    public static StandardizedGram From(double[,] scatter, ReadOnlySpan<double> mean, long n)
    {
        int d = scatter.GetLength(0) - 1;
        var scales = new double[d];
        for (int j = 0; j < d; j++)
        {
            double s = Math.Sqrt(scatter[j, j] / n);
            scales[j] = s == 0 ? 1.0 : s; // scikit-learn's _handle_zeros_in_scale
        }
        var g = new double[d, d];
        var b = new double[d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
                g[i, j] = scatter[i, j] / (n * scales[i] * scales[j]);
            b[i] = scatter[i, d] / (n * scales[i]);
        }
        return new StandardizedGram(g, b, scatter[d, d] / n, mean[..d].ToArray(), scales, mean[d], n);
    }
}
