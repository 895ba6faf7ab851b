using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.TimeSeries;

/// <summary>
/// CreateTimeSeriesWindows on a series whose values say where they come from (x = t, y = 2t, target = t²): every window
/// holds exactly the rows it should (feature-major, every step-th row, oldest first), targets lie delay rows after the
/// window's end, splits never straddle, the naive baselines equal their closed forms, and bad series are refused.
/// </summary>
public class TimeSeriesWindowsTests
{
    private static IDataView Series(MLContext ml, int rows, Func<int, float>? target = null) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(t => new Point { X = t, Y = 2 * t, Z = target?.Invoke(t) ?? t * (float)t }).ToList());

    [Fact]
    public void Windows_hold_the_right_rows_and_targets_in_each_split()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.CreateTimeSeriesWindows(Series(ml, 100), ["X", "Y"], "Z", lookback: 6, step: 2, delay: 3);
        Assert.Equal(3, windows.Timesteps);
        Assert.Equal([2, 3], windows.InputShape);
        Assert.Equal(["X@t-4", "X@t-2", "X@t-0", "Y@t-4", "Y@t-2", "Y@t-0"], windows.SlotNames);
        // Train: rows 0–49; the first window ends at row 5 (rows 1, 3, 5), its target is row 8; the last target is row 49.
        Assert.Equal(42, windows.Count(TimeSeriesSplit.Train));
        Assert.Equal(17, windows.Count(TimeSeriesSplit.Validation));   // targets 58 … 74
        Assert.Equal(17, windows.Count(TimeSeriesSplit.Test));         // targets 83 … 99
        foreach (var (split, firstTarget) in new[] { (TimeSeriesSplit.Train, 8), (TimeSeriesSplit.Validation, 58), (TimeSeriesSplit.Test, 83) })
        {
            var view = windows[split];
            var features = view.GetColumn<float[]>("Features").ToArray();
            var labels = view.GetColumn<float>("Label").ToArray();
            var times = view.GetColumn<long>("Time").ToArray();
            Assert.Equal(windows.Count(split), features.Length);
            for (int i = 0; i < features.Length; i++)
            {
                long target = firstTarget + i;
                long last = target - 3;
                Assert.Equal(target, times[i]);
                Assert.Equal(target * (float)target, labels[i]);
                Assert.Equal([last - 4, last - 2, last, 2 * (last - 4), 2 * (last - 2), 2 * last], features[i].Select(v => (long)v));
            }
        }
    }

    [Fact]
    public void Naive_baselines_equal_their_closed_forms()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.CreateTimeSeriesWindows(Series(ml, 100), ["X"], "Z", lookback: 6, step: 2, delay: 3);
        // |t² − (t − 3)²| = 6t − 9 over the train targets 8 … 49; the seasonal one with a season of 5: 10t − 25.
        double lastValue = Enumerable.Range(8, 42).Average(t => 6.0 * t - 9);
        double seasonal = Enumerable.Range(8, 42).Average(t => 10.0 * t - 25);
        Assert.Equal(lastValue, NaiveForecast.LastValue(windows, TimeSeriesSplit.Train), 9);
        Assert.Equal(seasonal, NaiveForecast.SeasonalLastValue(windows, TimeSeriesSplit.Train, season: 5), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => NaiveForecast.SeasonalLastValue(windows, TimeSeriesSplit.Train, season: 2));
        // A season longer than the series before every target has nothing to average: an error, not NaN.
        var longSeason = Assert.Throws<ArgumentOutOfRangeException>(() => NaiveForecast.SeasonalLastValue(windows, TimeSeriesSplit.Train, season: 500));
        Assert.Contains("shorter season", longSeason.Message);
    }

    [Fact]
    public void Bad_series_get_clear_errors()
    {
        var ml = new MLContext(seed: 1);
        var gap = Series(ml, 100, t => t == 42 ? float.NaN : t);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.CreateTimeSeriesWindows(gap, ["X"], "Z", lookback: 6));
        Assert.Contains("'Z'", e.Message);
        Assert.Contains("42", e.Message);
        var shortSeries = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateTimeSeriesWindows(Series(ml, 10), ["X"], "Z", lookback: 12));
        Assert.Contains("10 rows", shortSeries.Message);
        var tooShortSplit = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateTimeSeriesWindows(Series(ml, 40), ["X"], "Z", lookback: 9, delay: 2));
        Assert.Contains("part", tooShortSplit.Message);
        Assert.Throws<ArgumentException>(() => ml.Data.CreateTimeSeriesWindows(Series(ml, 100), ["Missing"], "Z", lookback: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.CreateTimeSeriesWindows(Series(ml, 100), ["X"], "Z", lookback: 2, step: 3));
    }

    [Fact]
    public void A_time_column_with_a_missing_step_or_out_of_order_rows_is_refused_with_the_row()
    {
        var ml = new MLContext(seed: 1);
        var start = new DateTime(2024, 1, 1);
        IDataView Days(Func<int, int> day) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, 60).Select(i => new Dated { Date = start.AddDays(day(i)), X = i, Z = i }).ToArray());
        var regular = ml.Data.CreateTimeSeriesWindows(Days(i => i), ["X"], "Z", lookback: 5, timeColumn: "Date");
        Assert.Equal(5, regular.Timesteps);
        var gap = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateTimeSeriesWindows(Days(i => i < 30 ? i : i + 1), ["X"], "Z", lookback: 5, timeColumn: "Date"));
        Assert.Contains("'Date'", gap.Message);
        Assert.Contains("row 30", gap.Message);
        Assert.Contains("2 steps after the previous row", gap.Message);
        Assert.Contains("1.00:00:00", gap.Message); // the series' step, one day
        var disorder = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateTimeSeriesWindows(Days(i => i == 10 ? 8 : i), ["X"], "Z", lookback: 5, timeColumn: "Date"));
        Assert.Contains("row 10", disorder.Message);
        Assert.Contains("out of order", disorder.Message);
        var hours = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 60).Select(i => new Point { X = i, Y = i < 20 ? i : i + 3, Z = i }).ToArray());
        Assert.Contains("4 steps after", Assert.Throws<InvalidOperationException>(() => ml.Data.CreateTimeSeriesWindows(hours, ["X"], "Z", lookback: 5, timeColumn: "Y")).Message);
    }

    private sealed class Dated
    {
        public DateTime Date { get; set; }
        public float X { get; set; }
        public float Z { get; set; }
    }

    private sealed class Point
    {
        public float X { get; set; }
        public float Y { get; set; }
        public float Z { get; set; }
    }
}
