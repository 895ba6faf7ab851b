using Microsoft.ML;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog method <c>mlContext.Data.CreateTimeSeriesWindows(...)</c>.</summary>
public static class TimeSeriesCatalog
{
    /// <summary>
    /// Windows of a time series (one row per time step, in time order, no gaps) for forecasting; see
    /// <see cref="TimeSeriesWindows"/>. The book's Jena setting is <c>lookback: 720, step: 6, delay: 144</c> on 10-minute rows.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">The series, one row per time step.</param>
    /// <param name="featureColumns">Numeric columns read as the window's channels.</param>
    /// <param name="targetColumn">The numeric column to forecast.</param>
    /// <param name="lookback">Rows looked back from the window's end.</param>
    /// <param name="step">Keep every step-th of them.</param>
    /// <param name="delay">Rows from the window's last row to the target.</param>
    /// <param name="trainFraction">The first part of the rows (windows for training).</param>
    /// <param name="validationFraction">The part after it (validation); the rest is the test part.</param>
    /// <param name="timeColumn">
    /// Optional timestamps (DateTime, or a number such as an hour index): checked to be in order and evenly spaced, since a
    /// missing row would shift every later window by one step; the error names the first gap.
    /// </param>
    public static TimeSeriesWindows CreateTimeSeriesWindows(this DataOperationsCatalog catalog, IDataView data, IReadOnlyList<string> featureColumns,
        string targetColumn, int lookback, int step = 1, int delay = 1, double trainFraction = 0.5, double validationFraction = 0.25, string? timeColumn = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (timeColumn != null)
            TimeSeriesSpacing.Check(data, timeColumn);
        return new TimeSeriesWindows(data, featureColumns, targetColumn, lookback, step, delay, trainFraction, validationFraction);
    }
}
