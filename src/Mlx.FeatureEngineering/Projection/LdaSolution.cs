using MathNet.Numerics.LinearAlgebra;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.Projection;

/// <summary>
/// Linear discriminant analysis from per-class counts, means and scatter matrices, following scikit-learn
/// 1.2's <c>_solve_svd</c> and <c>_solve_eigen</c>. Pure numerics; classes in class order.
/// </summary>
internal sealed record LdaSolution(double[][] Scalings, double[] ExplainedVarianceRatio, double[] Center)
{
    /// <summary>scikit-learn's default rank tolerance for the SVD solver.</summary>
    private const double Tolerance = 1e-4;

    public static LdaSolution Solve(LdaSolver solver, IReadOnlyList<ScatterAccumulator> classes, double[] priors, int components, double? shrinkage) =>
        solver == LdaSolver.Svd ? SolveSvd(classes, priors, components) : SolveEigen(classes, priors, components, shrinkage);

    /// <summary>x̄ = Σ priors·means.</summary>
    public static double[] WeightedMean(IReadOnlyList<ScatterAccumulator> classes, double[] priors)
    {
        int d = classes[0].Mean.Length;
        var xbar = new double[d];
        for (int c = 0; c < classes.Count; c++)
        {
            for (int j = 0; j < d; j++)
                xbar[j] += priors[c] * classes[c].Mean[j];
        }
        return xbar;
    }

    private static LdaSolution SolveSvd(IReadOnlyList<ScatterAccumulator> classes, double[] priors, int components)
    {
        int d = classes[0].Mean.Length, k = classes.Count;
        long n = classes.Sum(c => c.Count);
        var within = Matrix<double>.Build.Dense(d, d);
        foreach (var c in classes)
            within += Matrix<double>.Build.DenseOfArray(c.Scatter());

        // 1) Within-class scaling: std of the within-centred data (ddof 0), zero stds replaced by 1.
        var std = Enumerable.Range(0, d).Select(j => Math.Sqrt(within[j, j] / n) is var s && s == 0 ? 1.0 : s).ToArray();
        double fac = 1.0 / (n - k);
        // SVD of X = √fac·Xc/std  ⇔  eigen of XᵀX = fac·D⁻¹·Sw·D⁻¹ (S = √eigenvalues, V = eigenvectors).
        var gram = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
                gram[i, j] = fac * within[i, j] / (std[i] * std[j]);
        }
        var (values, vectors) = SymmetricEigen.Decompose(gram);
        var singular = values.Select(v => Math.Sqrt(Math.Max(v, 0))).ToArray();
        int rank = singular.Count(s => s > Tolerance);
        // scalings = V[:, :rank] / std / S   (d × rank)
        var scalings = Matrix<double>.Build.Dense(d, rank, (j, r) => vectors[r][j] / std[j] / singular[r]);

        // 2) Between-class scaling: weighted centroids in the whitened space, then their SVD.
        var xbar = WeightedMean(classes, priors);
        double fac2 = k == 1 ? 1.0 : 1.0 / (k - 1);
        var centroids = Matrix<double>.Build.Dense(k, d, (c, j) => Math.Sqrt(n * priors[c] * fac2) * (classes[c].Mean[j] - xbar[j]));
        var projected = centroids * scalings; // k × rank
        var svd = projected.Svd(computeVectors: true);
        var s2 = svd.S.ToArray();
        double total = s2.Sum(v => v * v);
        var ratio = s2.Select(v => v * v / total).ToArray();
        int rank2 = s2.Count(v => v > Tolerance * s2[0]);
        var final = scalings * svd.VT.Transpose().SubMatrix(0, rank, 0, rank2); // d × rank2
        int kept = Math.Min(components, rank2);
        return new LdaSolution(Columns(final, kept), ratio.Take(Math.Min(components, ratio.Length)).ToArray(), xbar);
    }

    private static LdaSolution SolveEigen(IReadOnlyList<ScatterAccumulator> classes, double[] priors, int components, double? shrinkage)
    {
        int d = classes[0].Mean.Length;
        long n = classes.Sum(c => c.Count);
        // Sw = Σ priors·cov_c (each empirical, ddof 0, optionally shrunk); St = cov of all rows.
        var within = Matrix<double>.Build.Dense(d, d);
        var total = new ScatterAccumulator(d);
        for (int c = 0; c < classes.Count; c++)
        {
            within += priors[c] * Shrink(Matrix<double>.Build.DenseOfArray(classes[c].Scatter()) / classes[c].Count, shrinkage);
            total.Merge(classes[c]);
        }
        var totalCov = Shrink(Matrix<double>.Build.DenseOfArray(total.Scatter()) / n, shrinkage);
        var between = totalCov - within;

        // Generalized symmetric eigenproblem via Cholesky: Sw = L·Lᵀ, C = L⁻¹·Sb·L⁻ᵀ, v = L⁻ᵀ·w (so vᵀ·Sw·v = 1).
        Matrix<double> lower;
        try
        {
            lower = within.Cholesky().Factor;
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException(
                "The within-class covariance is singular (a slot is constant within every class, or slots are collinear), so the eigen solver cannot whiten it. " +
                "Use shrinkage (e.g. 0.1), the Svd solver, or drop constant/duplicate slots first.");
        }
        var lowerInverse = lower.Inverse();
        var c2 = lowerInverse * between * lowerInverse.Transpose();
        c2 = (c2 + c2.Transpose()) / 2;
        var (values, vectors) = SymmetricEigen.Decompose(c2.ToArray());
        var w = Matrix<double>.Build.Dense(d, d, (i, r) => vectors[r][i]);
        var v = lowerInverse.Transpose() * w;
        double sum = values.Sum();
        var ratio = values.Select(x => x / sum).ToArray();
        int kept = Math.Min(components, d);
        return new LdaSolution(Columns(v, kept), ratio.Take(kept).ToArray(), new double[d]);
    }

    /// <summary>sklearn's <c>shrunk_covariance</c>: (1 − α)·Σ + α·(tr Σ / d)·I.</summary>
    private static Matrix<double> Shrink(Matrix<double> covariance, double? shrinkage)
    {
        if (shrinkage is not double alpha)
            return covariance;
        double mu = covariance.Trace() / covariance.RowCount;
        return (1 - alpha) * covariance + alpha * mu * Matrix<double>.Build.DenseIdentity(covariance.RowCount);
    }

    /// <summary>The first <paramref name="count"/> columns, each sign-normalized (largest |entry| positive).</summary>
    private static double[][] Columns(Matrix<double> m, int count)
    {
        var columns = new double[count][];
        for (int r = 0; r < count; r++)
        {
            columns[r] = m.Column(r).ToArray();
            SymmetricEigen.NormalizeSign(columns[r]);
        }
        return columns;
    }
}
