using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog method <c>mlContext.Transforms.DateParts(...)</c>.</summary>
public static class DatePartsCatalog
{
    /// <summary>
    /// Year, month, day, day of the week (0 = Monday), day of the year, hour and a weekend flag of a date/time column,
    /// as a vector of Single (NaN for a missing or unparsable date): what a model can learn seasons and weekly cycles
    /// from. Text is parsed with the invariant culture.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">A text, DateTime or DateTimeOffset column; defaults to <paramref name="outputColumnName"/>.</param>
    public static DatePartsEstimator DateParts(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName);
}
