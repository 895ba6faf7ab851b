using System.Globalization;
using System.Text;

namespace Mlx.FeatureEngineering;

/// <summary>One fold of a validation protocol: its repeat and fold numbers, its sizes and the ML.NET metrics on its test rows.</summary>
/// <typeparam name="TMetrics">ML.NET's metrics type of the task.</typeparam>
public sealed record FoldMetrics<TMetrics>(int Repeat, int Fold, long TrainRows, long TestRows, TMetrics Metrics);

/// <summary>
/// Every fold's metrics of a validation protocol (iterated K-fold: repeats × folds; rolling origin: one fold per origin),
/// with the mean and standard deviation of any metric over them (the book's "average of the P × K scores").
/// </summary>
/// <typeparam name="TMetrics">ML.NET's metrics type of the task.</typeparam>
public sealed class CrossValidationReport<TMetrics>
{
    internal CrossValidationReport(string protocol, IReadOnlyList<FoldMetrics<TMetrics>> folds)
    {
        Protocol = protocol;
        Folds = folds;
    }

    /// <summary>What was run, e.g. "stratified 5-fold × 3 repeats".</summary>
    public string Protocol { get; }

    /// <summary>Every fold, in order.</summary>
    public IReadOnlyList<FoldMetrics<TMetrics>> Folds { get; }

    /// <summary>The mean and (sample, n − 1) standard deviation of <paramref name="metric"/> over the folds.</summary>
    public (double Mean, double StandardDeviation) Summary(Func<TMetrics, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var values = Folds.Select(f => metric(f.Metrics)).ToArray();
        double mean = values.Average();
        double variance = values.Length > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) : 0;
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>A printable table of <paramref name="metric"/> per fold and its mean ± standard deviation.</summary>
    public string Format(string name, Func<TMetrics, double> metric)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Protocol}: {name}");
        foreach (var f in Folds)
            text.AppendLine(CultureInfo.InvariantCulture, $"  repeat {f.Repeat + 1}, fold {f.Fold + 1}: {metric(f.Metrics):G5} ({f.TrainRows:N0} training / {f.TestRows:N0} test rows)");
        var (mean, std) = Summary(metric);
        text.AppendLine(CultureInfo.InvariantCulture, $"  mean {mean:G5} ± {std:G3}");
        return text.ToString();
    }
}
