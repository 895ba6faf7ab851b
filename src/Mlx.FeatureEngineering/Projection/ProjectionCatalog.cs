using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog methods for projections: exact PCA and linear discriminants.</summary>
public static class ProjectionCatalog
{
    /// <summary>
    /// Exact principal component analysis (scikit-learn's <c>PCA(svd_solver='full')</c>), computed in double
    /// from the covariance. Fitted components, explained variance (and ratio), singular values, mean and noise
    /// variance are properties of the transformer.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write: a vector of <paramref name="rank"/> Single (slots PC1..PCk).</param>
    /// <param name="inputColumnName">The known-size vector of Single to project; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="rank">The number of components.</param>
    /// <param name="whiten">Scale each component to unit variance.</param>
    public static PcaEstimator ProjectToPrincipalComponentsExact(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, int rank = 2, bool whiten = false) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, rank, whiten);

    /// <summary>
    /// Linear discriminant analysis as a supervised projection (scikit-learn's <c>LinearDiscriminantAnalysis</c>
    /// transform): at most classes − 1 components. Fitted scalings, class means, priors and explained variance
    /// ratio are properties of the transformer.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write: a vector of Single (slots LD1..LDk).</param>
    /// <param name="inputColumnName">The known-size vector of Single to project; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="labelColumnName">The class label: key, text, Boolean or number.</param>
    /// <param name="rank">Components to keep; null for min(classes − 1, slots).</param>
    /// <param name="solver">Svd (default, as scikit-learn) or Eigen.</param>
    /// <param name="shrinkage">Covariance shrinkage in [0, 1] (Eigen solver only).</param>
    public static LdaEstimator ProjectToLinearDiscriminants(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, string labelColumnName = "Label", int? rank = null,
        LdaSolver solver = LdaSolver.Svd, double? shrinkage = null) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, labelColumnName, rank, solver, shrinkage);
}
