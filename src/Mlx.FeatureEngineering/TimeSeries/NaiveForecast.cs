namespace Mlx.FeatureEngineering;

/// <summary>
/// The common-sense baselines every forecast should beat ("Deep Learning with Python" 6.3.2), on the windows of a
/// split: <see cref="LastValue"/> predicts the target as it was at the window's last row (the book's "temperature 24
/// hours from now equals the temperature now"); <see cref="SeasonalLastValue"/> as it was one season before the target
/// (e.g. 7 rows for daily data with a weekly pattern). Each returns its mean absolute error.
/// </summary>
public static class NaiveForecast
{
    /// <summary>MAE of predicting the target with its value <c>delay</c> rows earlier (at the window's last row).</summary>
    public static double LastValue(TimeSeriesWindows windows, TimeSeriesSplit split) => MeanAbsoluteError(windows, split, windows.Delay);

    /// <summary>MAE of predicting the target with its value <paramref name="season"/> rows earlier (season ≥ delay, so the value is known).</summary>
    public static double SeasonalLastValue(TimeSeriesWindows windows, TimeSeriesSplit split, int season)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (season < windows.Delay)
            throw new ArgumentOutOfRangeException(nameof(season), season, $"The season must be at least the delay ({windows.Delay} rows): a forecast can only use values known at the window's end.");
        return MeanAbsoluteError(windows, split, season);
    }

    private static double MeanAbsoluteError(TimeSeriesWindows windows, TimeSeriesSplit split, int lag)
    {
        ArgumentNullException.ThrowIfNull(windows);
        double sum = 0;
        int first = windows.FirstTarget(split), last = windows.LastTarget(split), count = 0;
        for (int target = first; target <= last; target++)
        {
            if (target - lag < 0)
                continue;
            sum += Math.Abs(windows.Target(target) - windows.Target(target - lag));
            count++;
        }
        if (count == 0)
        {
            // No target of the split has a value `lag` rows before it: there is nothing to average (it used to return NaN).
            throw new ArgumentOutOfRangeException(nameof(split), lag,
                $"No target of the {split} split has a value {lag} rows before it (its targets are rows {first} to {last}): " +
                $"the lag is longer than the series before them. Use a shorter season, or a later split.");
        }
        return sum / count;
    }
}
