using MathNet.Numerics.LinearAlgebra;

namespace Mlx.FeatureEngineering.Projection;

/// <summary>Eigen-decomposition helpers shared by PCA and LDA (MathNet.Numerics, double precision).</summary>
internal static class SymmetricEigen
{
    /// <summary>Eigenvalues (descending) and eigenvectors (as rows, same order) of a symmetric matrix.</summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[,] symmetric)
    {
        var evd = Matrix<double>.Build.DenseOfArray(symmetric).Evd(Symmetricity.Symmetric);
        int d = symmetric.GetLength(0);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, d).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var vectors = order.Select(i => evd.EigenVectors.Column(i).ToArray()).ToArray();
        return (order.Select(i => values[i]).ToArray(), vectors);
    }

    /// <summary>Flips <paramref name="vector"/> so that its entry of largest magnitude is positive (the golden files' convention).</summary>
    public static void NormalizeSign(double[] vector)
    {
        int arg = 0;
        for (int i = 1; i < vector.Length; i++)
        {
            if (Math.Abs(vector[i]) > Math.Abs(vector[arg]))
                arg = i;
        }
        if (vector[arg] < 0)
        {
            for (int i = 0; i < vector.Length; i++)
                vector[i] = -vector[i];
        }
    }
}
