namespace Mlx.FeatureEngineering.Projection;

/// <summary>
/// Exact PCA, as scikit-learn's <c>PCA(svd_solver='full')</c>: the principal axes are the right singular vectors of
/// the centred data, whose squared singular values over n − 1 are the explained variances. Two routes to the same
/// numbers, chosen by shape: the eigenvectors of the d×d covariance (<see cref="Solve"/>: streaming, for n ≥ d), or
/// for fewer rows than columns those of the n×n Gram matrix of the rows (<see cref="SolveFromRows"/>: 30 rows of
/// 5,000 columns is a 30×30 problem instead of a 5,000×5,000 one). Pure numerics.
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
        var components = vectors.Take(rank).Select(v => (double[])v.Clone()).ToArray();
        foreach (var c in components)
            SymmetricEigen.NormalizeSign(c);
        return FromVariances(components, variance, rows);
    }

    // The solution from its (sign-normalized) components and every kept variance, descending: the first `rank` explain,
    // the rest average into the noise variance (probabilistic PCA's σ², as scikit-learn).
    private static PcaSolution FromVariances(double[][] components, double[] variance, long rows)
    {
        int rank = components.Length;
        double total = variance.Sum();
        double noise = rank < variance.Length ? variance.Skip(rank).Average() : 0.0;
        return new PcaSolution(
            components,
            variance.Take(rank).ToArray(),
            variance.Take(rank).Select(v => v / total).ToArray(),
            variance.Take(rank).Select(v => Math.Sqrt(v * (rows - 1))).ToArray(),
            noise);
    }

    /// <summary>
    /// PCA of few, wide rows (n &lt; d): with the centred rows X (n×d) and the eigenpairs (λ, u) of G = X·Xᵀ/(n − 1),
    /// the axes are Xᵀu / √(λ(n − 1)) — the same right singular vectors as the covariance's eigenvectors — and the
    /// variances the same λ. Null when a requested component has (numerically) zero variance, whose axis the Gram
    /// matrix does not determine: the covariance route then picks one.
    /// </summary>
    /// <param name="centred">The centred rows.</param>
    /// <param name="rank">Components to keep.</param>
    public static PcaSolution? SolveFromRows(double[][] centred, int rank)
    {
        int n = centred.Length, d = centred[0].Length;
        var gram = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
                gram[i, j] = gram[j, i] = System.Numerics.Tensors.TensorPrimitives.Dot<double>(centred[i], centred[j]) / (n - 1);
        }
        var (values, vectors) = SymmetricEigen.Decompose(gram);
        var variance = values.Select(v => Math.Max(v, 0.0)).ToArray();
        if (!(variance[rank - 1] > variance[0] * 1e-12))
            return null;
        var components = new double[rank][];
        for (int k = 0; k < rank; k++)
        {
            var axis = new double[d];
            for (int i = 0; i < n; i++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<double>(centred[i], vectors[k][i], axis, axis);
            System.Numerics.Tensors.TensorPrimitives.Divide<double>(axis, Math.Sqrt(variance[k] * (n - 1)), axis);
            SymmetricEigen.NormalizeSign(axis);
            components[k] = axis;
        }
        return FromVariances(components, variance, n);
    }
}
