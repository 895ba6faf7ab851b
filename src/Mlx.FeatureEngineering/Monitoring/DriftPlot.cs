using ScottPlot;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Draws a <see cref="DriftReport"/> as two bar panels with ScottPlot: PSI per slot with the drift threshold as a dashed
/// line, and the Kolmogorov–Smirnov statistic per slot; drifted slots in orange, stable ones in blue, in report order.
/// </summary>
internal static class DriftPlot
{
    private static readonly Color Stable = Color.FromHex("#1f77b4");
    private static readonly Color Drifted = Color.FromHex("#ff7f0e");

    public static void Save(DriftReport report, string path, int width, int height)
    {
        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Rows();
        Panel(figure.GetPlot(0), report, "population stability index", s => s.PopulationStabilityIndex, report.PsiThreshold);
        Panel(figure.GetPlot(1), report, "Kolmogorov–Smirnov statistic", s => s.KolmogorovSmirnov, null);
        figure.SavePng(path, width, height);
    }

    private static void Panel(Plot plot, DriftReport report, string title, Func<SlotDrift, double> value, double? threshold)
    {
        var bars = report.Slots.Select((s, i) => new Bar
        {
            Position = i,
            Value = double.IsFinite(value(s)) ? value(s) : 0,
            FillColor = s.Drifted ? Drifted : Stable,
        }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, report.Slots.Count).Select(i => (double)i).ToArray(), report.Slots.Select(s => s.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = report.Slots.Count > 8 ? 45 : 0;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        if (threshold is double t)
        {
            var line = plot.Add.HorizontalLine(t, 2, Drifted, LinePattern.Dashed);
            line.LegendText = $"drift threshold {t:G3}";
            plot.ShowLegend(Alignment.UpperRight);
        }
    }
}
