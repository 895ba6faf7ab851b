using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog method <c>mlContext.Transforms.Discretize(...)</c>.</summary>
public static class DiscretizeCatalog
{
    /// <summary>
    /// Bins each slot into <paramref name="binCount"/> intervals (scikit-learn's <c>KBinsDiscretizer</c>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write: bin indices (same shape as the input) or indicators (a vector).</param>
    /// <param name="inputColumnName">The Single or known-size vector of Single column to read; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="binCount">Bins per slot (at least 2).</param>
    /// <param name="strategy">Uniform width, quantiles, or 1-D k-means.</param>
    /// <param name="encoding">Ordinal bin index or one-hot indicators.</param>
    public static DiscretizeEstimator Discretize(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        int binCount = 5, BinningStrategy strategy = BinningStrategy.Quantile, BinEncoding encoding = BinEncoding.Ordinal) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, binCount, strategy, encoding);
}
