using Microsoft.ML;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog method <c>mlContext.Data.AugmentWithMissingValues(...)</c>.</summary>
public static class MissingValueAugmentationCatalog
{
    /// <summary>
    /// The rows of <paramref name="data"/>, then <paramref name="copies"/> copies in which each slot of
    /// <paramref name="featureColumnName"/> is missing (NaN) with probability <paramref name="rate"/>; see
    /// <see cref="MissingValueAugmentation"/>.
    /// </summary>
    public static IDataView AugmentWithMissingValues(this DataOperationsCatalog catalog, IDataView data, string featureColumnName, double rate, int copies = 1, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        return new MissingValueAugmentation(data, featureColumnName, rate, copies, seed);
    }
}
