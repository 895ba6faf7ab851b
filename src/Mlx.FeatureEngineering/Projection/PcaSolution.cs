namespace Mlx.FeatureEngineering.Projection;

/// <summary>
/// Exact PCA from a scatter matrix, as scikit-learn's <c>PCA(svd_solver='full')</c>: the principal axes
/// are the eigenvectors of the covariance (n − 1 denominator), whose eigenvalues are the squared singular
/// values of the centred data over n − 1. Pure numerics.
/// </summary>
internal sealed record PcaSolution(
    double[][] Components, double[] ExplainedVariance, double[] ExplainedVarianceRatio,
    double[] SingularValues, double NoiseVariance)
{
    public static PcaSolution Solve(double[,] scatter, long rows, int rank)
    {
        int d = scatter.GetLength(0);
        var covariance = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
                covariance[i, j] = scatter[i, j] / (rows - 1);
        }
        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        // The centred data has at most min(n − 1, d) non-zero variances; sklearn keeps min(n, d) of them.
        int kept = (int)Math.Min(rows, d);
        var variance = values.Take(kept).Select(v => Math.Max(v, 0.0)).ToArray();
        double total = variance.Sum();
        var components = vectors.Take(rank).Select(v => (double[])v.Clone()).ToArray();
        foreach (var c in components)
            SymmetricEigen.NormalizeSign(c);
        double noise = rank < kept ? variance.Skip(rank).Average() : 0.0;
        return new PcaSolution(
            components,
            variance.Take(rank).ToArray(),
            variance.Take(rank).Select(v => v / total).ToArray(),
            variance.Take(rank).Select(v => Math.Sqrt(v * (rows - 1))).ToArray(),
            noise);
    }
}
