using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog methods for power transforms: <c>mlContext.Transforms.NormalizeBoxCox(...)</c> and <c>NormalizeYeoJohnson(...)</c>.</summary>
public static class PowerTransformCatalog
{
    /// <summary>
    /// Box-Cox transform with λ per slot fitted by maximum likelihood (scikit-learn's
    /// <c>PowerTransformer(method='box-cox')</c>). Input values must be strictly positive.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write; same shape as the input and slot names kept.</param>
    /// <param name="inputColumnName">The column to read (Single or known-size vector of Single); defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="standardize">Also scale the result to zero mean and unit variance.</param>
    public static PowerTransformEstimator NormalizeBoxCox(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, bool standardize = false) =>
        PowerTransform(catalog, new PowerTransformOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Method = PowerTransformMethod.BoxCox,
            Standardize = standardize,
        });

    /// <summary>
    /// Yeo-Johnson transform with λ per slot fitted by maximum likelihood (scikit-learn's
    /// <c>PowerTransformer(method='yeo-johnson')</c>). Accepts any finite values.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write; same shape as the input and slot names kept.</param>
    /// <param name="inputColumnName">The column to read (Single or known-size vector of Single); defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="standardize">Also scale the result to zero mean and unit variance.</param>
    public static PowerTransformEstimator NormalizeYeoJohnson(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, bool standardize = false) =>
        PowerTransform(catalog, new PowerTransformOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Method = PowerTransformMethod.YeoJohnson,
            Standardize = standardize,
        });

    /// <summary>A power transform with every option (method, standardization, parallelism, progress).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    public static PowerTransformEstimator PowerTransform(this TransformsCatalog catalog, PowerTransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new PowerTransformEstimator(CatalogUtils.GetEnvironment(catalog), options);
    }
}
