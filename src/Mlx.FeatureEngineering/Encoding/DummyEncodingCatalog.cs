using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog methods <c>mlContext.Transforms.Categorical.DummyEncoding(...)</c>.</summary>
public static class DummyEncodingCatalog
{
    /// <summary>
    /// Dummy coding (scikit-learn's <c>OneHotEncoder(drop='first')</c> by default): one indicator per category
    /// of each slot except a reference level, as a sparse Single vector with slot names <c>column=value</c>.
    /// </summary>
    /// <param name="catalog">The categorical transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">Text, key or number column (scalar or known-size vector); defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="drop">Which category to drop per slot.</param>
    /// <param name="unknown">What unseen categories do at transform time.</param>
    public static DummyEncodingEstimator DummyEncoding(this TransformsCatalog.CategoricalTransforms catalog, string outputColumnName,
        string? inputColumnName = null, DummyDrop drop = DummyDrop.First, UnknownCategory unknown = UnknownCategory.Error) =>
        DummyEncoding(catalog, new DummyEncodingOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Drop = drop, Unknown = unknown });

    /// <summary>Dummy coding with every option (e.g. a user-given <see cref="DummyEncodingOptions.ReferenceLevel"/>).</summary>
    /// <param name="catalog">The categorical transforms catalog.</param>
    /// <param name="options">The options.</param>
    public static DummyEncodingEstimator DummyEncoding(this TransformsCatalog.CategoricalTransforms catalog, DummyEncodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new DummyEncodingEstimator(CatalogUtils.GetEnvironment(catalog), options);
    }
}
