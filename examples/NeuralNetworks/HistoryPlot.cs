using Mlx.Estimators;
using ScottPlot;

/// <summary>Loss and metric curves of a training history, training vs validation (Keras' classic two plots, side by side).</summary>
internal static class HistoryPlot
{
    public static void Save(TrainingHistory history, string title, string path)
    {
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Draw(multiplot.GetPlot(0), epochs, history.Epochs.Select(e => e.Loss), history.Epochs.Select(e => e.ValidationLoss), "loss", title);
        Draw(multiplot.GetPlot(1), epochs, history.Epochs.Select(e => e.Metric), history.Epochs.Select(e => e.ValidationMetric), history.MetricName, title);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, 1100, 420);
    }

    private static void Draw(Plot plot, double[] epochs, IEnumerable<double> train, IEnumerable<double?> validation, string name, string title)
    {
        var t = plot.Add.Scatter(epochs, train.ToArray());
        t.LegendText = $"training {name}";
        var v = validation.ToArray();
        if (v.All(x => x.HasValue))
        {
            var s = plot.Add.Scatter(epochs, v.Select(x => x!.Value).ToArray());
            s.LegendText = $"validation {name}";
        }
        plot.Title($"{title}: {name}");
        plot.XLabel("epoch");
        plot.ShowLegend();
    }
}
