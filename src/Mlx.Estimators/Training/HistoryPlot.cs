using ScottPlot;

namespace Mlx.Estimators;

/// <summary>
/// Draws a <see cref="TrainingHistory"/> as Keras' classic two panels (loss | metric, training vs validation) with
/// ScottPlot. The epoch whose weights early stopping restored and the start of a fine-tuning phase (half an epoch
/// before its first) are marked in both panels; legends sit below the data area so they never cover a curve.
/// </summary>
internal static class HistoryPlot
{
    /// <summary>Training curves.</summary>
    public static readonly Color TrainingColor = Color.FromHex("#1f77b4");

    /// <summary>Validation curves.</summary>
    public static readonly Color ValidationColor = Color.FromHex("#ff7f0e");

    /// <summary>The restored-epoch marker.</summary>
    public static readonly Color RestoredColor = Color.FromHex("#2ca02c");

    /// <summary>The fine-tuning marker.</summary>
    public static readonly Color FineTuningColor = Color.FromHex("#7f7f7f");

    /// <summary>Size of the saved image in pixels.</summary>
    public const int Width = 1200, Height = 480;

    public static void Save(TrainingHistory history, string path)
    {
        var epochs = history.Epochs;
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Panel(figure.GetPlot(0), "loss", x, epochs.Select(e => e.Loss), epochs.Select(e => e.ValidationLoss), history.RestoredEpoch, history.FineTuningStartEpoch);
        Panel(figure.GetPlot(1), history.MetricName, x, epochs.Select(e => e.Metric), epochs.Select(e => e.ValidationMetric), history.RestoredEpoch, history.FineTuningStartEpoch);
        figure.SavePng(path, Width, Height);
    }

    private static void Panel(Plot plot, string name, double[] x, IEnumerable<double> training, IEnumerable<double?> validation, int? restoredEpoch, int? fineTuningEpoch)
    {
        var train = plot.Add.ScatterLine(x, training.ToArray(), TrainingColor);
        train.LineWidth = 2;
        train.MarkerSize = x.Length <= 40 ? 5 : 0;
        train.LegendText = $"training {name}";
        var validationValues = validation.ToArray();
        if (validationValues.All(v => v.HasValue))
        {
            var valid = plot.Add.ScatterLine(x, validationValues.Select(v => v!.Value).ToArray(), ValidationColor);
            valid.LineWidth = 2;
            valid.MarkerSize = train.MarkerSize;
            valid.LegendText = $"validation {name}";
        }
        if (restoredEpoch is int restored)
        {
            var marker = plot.Add.VerticalLine(restored, 2, RestoredColor, LinePattern.Dashed);
            marker.LegendText = $"restored weights (epoch {restored})";
        }
        if (fineTuningEpoch is int tuning)
        {
            var marker = plot.Add.VerticalLine(tuning - 0.5, 2, FineTuningColor, LinePattern.Dotted);
            marker.LegendText = $"fine-tuning from epoch {tuning}";
        }
        plot.Title(name);
        plot.XLabel("epoch");
        plot.YLabel(name);
        plot.ShowLegend(Edge.Bottom);
    }
}
