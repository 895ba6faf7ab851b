using ScottPlot;

namespace Quickstart;

internal static class Plots
{
    /// <summary>Two histograms side by side: a feature before and after its Box-Cox transform.</summary>
    public static void BeforeAfter(double[] before, double[] after, string name, double lambda, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Histogram(multiplot.GetPlot(0), before, $"{name} (raw)", Colors.SteelBlue);
        Histogram(multiplot.GetPlot(1), after, $"Box-Cox, lambda = {lambda:F3}, standardized", Colors.DarkOrange);
        multiplot.SavePng(path, 1100, 420);
    }

    private static void Histogram(Plot plot, double[] values, string title, Color color)
    {
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(40, values);
        var bars = plot.Add.Bars(histogram.Bins, histogram.Counts);
        bars.Color = color;
        foreach (var bar in bars.Bars)
            bar.Size = histogram.FirstBinSize * 0.9;
        plot.Title(title);
        plot.YLabel("cells");
        plot.Axes.Margins(bottom: 0);
    }
}
