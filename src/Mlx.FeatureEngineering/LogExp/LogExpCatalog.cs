using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog methods <c>mlContext.Transforms.LogTransform(...)</c> and <c>ExpTransform(...)</c>.</summary>
public static class LogExpCatalog
{
    /// <summary>
    /// y = ln(x + <paramref name="offset"/>) per slot; at the default offset 1 this is <c>np.log1p</c>.
    /// A value with x + offset ≤ 0 throws, naming the column, slot and row.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write (same shape and slot names as the input).</param>
    /// <param name="inputColumnName">The Single or known-size vector of Single column to read; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="offset">Added to x before the logarithm.</param>
    public static LogExpEstimator LogTransform(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, double offset = 1.0) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, LogExpDirection.Log, offset);

    /// <summary>
    /// y = exp(x) − <paramref name="offset"/> per slot, the inverse of <see cref="LogTransform"/>; at offset 1 this is <c>np.expm1</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write (same shape and slot names as the input).</param>
    /// <param name="inputColumnName">The Single or known-size vector of Single column to read; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="offset">Subtracted after the exponential.</param>
    public static LogExpEstimator ExpTransform(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, double offset = 1.0) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, LogExpDirection.Exp, offset);
}
