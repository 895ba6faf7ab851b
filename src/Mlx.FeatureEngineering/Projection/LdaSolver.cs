namespace Mlx.FeatureEngineering;

/// <summary>The algorithm of <see cref="LdaEstimator"/> (scikit-learn's <c>LinearDiscriminantAnalysis(solver=...)</c>).</summary>
public enum LdaSolver
{
    /// <summary>Singular value decomposition of the scaled within-class data, then of the class centroids; transform = (x − x̄)·scalings.</summary>
    Svd = 0,

    /// <summary>Generalized eigenproblem Sb·v = λ·Sw·v (vᵀ·Sw·v = 1); supports shrinkage; transform = x·scalings (no centring, as scikit-learn).</summary>
    Eigen = 1,
}
