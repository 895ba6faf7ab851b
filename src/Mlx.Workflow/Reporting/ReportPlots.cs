using ScottPlot;

namespace Mlx.Workflow;

/// <summary>The report's two pictures (ScottPlot, PNG bytes): each candidate's validation metric with its spread against the baseline, and the networks' validation-loss curves.</summary>
internal static class ReportPlots
{
    private static readonly Color Candidate = Color.FromHex("#1f77b4");
    private static readonly Color ChosenColor = Color.FromHex("#2ca02c");
    private static readonly Color BaselineColor = Color.FromHex("#d62728");
    private const int Width = 1000, Height = 480;

    public static byte[] Candidates(WorkflowReport report)
    {
        var plot = new Plot();
        var candidates = report.Candidates;
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var bar = plot.Add.Bar(new Bar
            {
                Position = i,
                Value = c.Mean,
                Error = c.StandardDeviation,
                FillColor = c.Spec.Name == report.Chosen ? ChosenColor : Candidate,
            });
        }
        // Zoomed on the candidates (bars from 0 would hide their differences); the baseline is drawn when it falls inside.
        double low = candidates.Min(c => c.Mean - c.StandardDeviation), high = candidates.Max(c => c.Mean + c.StandardDeviation);
        double margin = Math.Max(1e-6, (high - low) * 0.25);
        double bottom = low - margin, top = high + margin;
        bool baselineInside = report.BaselineValidation >= bottom - 3 * margin && report.BaselineValidation <= top + 3 * margin;
        if (baselineInside)
        {
            bottom = Math.Min(bottom, report.BaselineValidation - margin);
            top = Math.Max(top, report.BaselineValidation + margin);
        }
        var baseline = plot.Add.HorizontalLine(report.BaselineValidation, 2, BaselineColor, LinePattern.Dashed);
        baseline.LegendText = $"baseline: {report.BaselineName} ({report.BaselineValidation:0.####}{(baselineInside ? "" : ", off the scale")})";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimitsY(bottom, top + (top - bottom) * 0.2);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, candidates.Count).Select(i => (double)i).ToArray(), candidates.Select(c => c.Spec.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 150;
        plot.Axes.Right.MinimumSize = 60;
        plot.Title($"validation {report.Metric} per candidate (mean ± SD over {report.Protocol.Fits} fit(s); chosen in green)");
        plot.YLabel(report.Metric);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public static byte[] Curves(WorkflowReport report)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var c in report.Candidates.Where(c => c.Curve.Count > 0 && c.Curve.All(p => p.ValidationLoss.HasValue)))
        {
            var x = c.Curve.Select(p => (double)p.Epoch).ToArray();
            var line = plot.Add.ScatterLine(x, c.Curve.Select(p => p.ValidationLoss!.Value).ToArray(), palette.GetColor(i++));
            line.LegendText = c.Spec.Name;
            line.LineWidth = c.Spec.Name == report.Chosen ? 3 : 1.5f;
            line.MarkerSize = 0;
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("validation loss per epoch of each network (first fold; early stopping ends a run)");
        plot.XLabel("epoch");
        plot.YLabel("validation loss");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
