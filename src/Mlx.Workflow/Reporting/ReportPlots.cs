using ScottPlot;

namespace Mlx.Workflow;

/// <summary>
/// The report's pictures (ScottPlot, PNG bytes): each candidate's validation metric with its spread against the
/// baseline; the networks' training and validation loss curves; and the final model on the test rows — confusion
/// matrix, ROC and precision-recall curves with its operating point, predicted against actual values and residuals,
/// permutation importance.
/// </summary>
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
            var color = palette.GetColor(i++);
            var x = c.Curve.Select(p => (double)p.Epoch).ToArray();
            var line = plot.Add.ScatterLine(x, c.Curve.Select(p => p.ValidationLoss!.Value).ToArray(), color);
            line.LegendText = c.Spec.Name;
            line.LineWidth = c.Spec.Name == report.Chosen ? 3 : 1.5f;
            line.MarkerSize = 0;
            // Training loss of the same network, dashed: the gap to the validation loss is the overfitting.
            var training = plot.Add.ScatterLine(x, c.Curve.Select(p => p.Loss).ToArray(), color);
            training.LinePattern = LinePattern.Dashed;
            training.LineWidth = 1;
            training.MarkerSize = 0;
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("loss per epoch of each network, first fold: validation solid, training dashed (early stopping ends a run)");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>The confusion matrix as a heat map with the counts written in (actual classes down, predicted across).</summary>
    public static byte[]? Confusion(WorkflowReport report)
    {
        if (report.Diagnostics is not { ConfusionMatrix: { } matrix, Classes: { } classes })
            return null;
        int k = classes.Count;
        var plot = new Plot();
        var shares = new double[k, k];
        for (int a = 0; a < k; a++)
        {
            int support = Math.Max(1, matrix[a].Sum());
            for (int p = 0; p < k; p++)
                shares[a, p] = (double)matrix[a][p] / support;
        }
        // One rectangle per cell (row a at y = a, drawn top-down), coloured by the share of the actual class.
        var colormap = new ScottPlot.Colormaps.Blues();
        for (int a = 0; a < k; a++)
            for (int p = 0; p < k; p++)
            {
                var cell = plot.Add.Rectangle(p - 0.5, p + 0.5, a - 0.5, a + 0.5);
                cell.FillColor = colormap.GetColor(1 - shares[a, p]);  // Blues runs from dark to light
                cell.LineWidth = 0.5f;
                cell.LineColor = Colors.Gray;
                var label = plot.Add.Text(matrix[a][p].ToString(System.Globalization.CultureInfo.InvariantCulture), p, a);
                label.LabelFontSize = k > 12 ? 9 : 14;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = shares[a, p] > 0.5 ? Colors.White : Colors.Black;
            }
        var positions = Enumerable.Range(0, k).Select(v => (double)v).ToArray();
        var names = classes.Select(c => c.Length > 14 ? c[..13] + "…" : c).ToArray();
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks(positions, names);
        plot.Axes.Bottom.TickLabelStyle.Rotation = k > 4 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = k > 4 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.SetLimits(-0.5, k - 0.5, k - 0.5, -0.5);
        plot.Axes.Bottom.MinimumSize = k > 4 ? 110 : 40;
        plot.Title("test confusion matrix (colour: share of the actual class)");
        plot.XLabel("predicted class");
        plot.YLabel("actual class");
        int size = Math.Clamp(120 + 40 * k, 480, 1100);
        return plot.GetImageBytes(size + 120, size, ImageFormat.Png);
    }

    /// <summary>ROC (left) and precision-recall (right) curves of the test rows, the model's decisions marked, the no-skill lines dashed.</summary>
    public static byte[]? ThresholdCurves(WorkflowReport report)
    {
        if (report.Diagnostics is not { Roc: { } roc, PrecisionRecall: { } pr, Operating: { } op, PositiveShare: { } share })
            return null;
        var rocPlot = new Plot();
        rocPlot.Add.ScatterLine(roc.Select(p => p.X).ToArray(), roc.Select(p => p.Y).ToArray(), Candidate).LineWidth = 2;
        rocPlot.Add.Line(0, 0, 1, 1).LinePattern = LinePattern.Dashed;
        var rocPoint = rocPlot.Add.Marker(op.FalsePositiveRate, op.Recall, MarkerShape.FilledCircle, 10, ChosenColor);
        rocPoint.LegendText = $"the model's decisions (FPR {op.FalsePositiveRate:0.###}, TPR {op.Recall:0.###})";
        rocPlot.ShowLegend(Alignment.LowerRight);
        rocPlot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        rocPlot.Title($"ROC (test AUC {report.TestMetrics.GetValueOrDefault("auc"):0.####}); dashed: chance");
        rocPlot.XLabel("false positive rate");
        rocPlot.YLabel("true positive rate (recall)");

        var prPlot = new Plot();
        prPlot.Add.ScatterLine(pr.Select(p => p.X).ToArray(), pr.Select(p => p.Y).ToArray(), Candidate).LineWidth = 2;
        prPlot.Add.HorizontalLine(share, 1, BaselineColor, LinePattern.Dashed).LegendText = $"no skill: the positive share ({share:0.###})";
        if (!double.IsNaN(op.Precision))
            prPlot.Add.Marker(op.Recall, op.Precision, MarkerShape.FilledCircle, 10, ChosenColor).LegendText = $"the model's decisions (recall {op.Recall:0.###}, precision {op.Precision:0.###})";
        prPlot.ShowLegend(Alignment.LowerLeft);
        prPlot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        prPlot.Title($"precision-recall (test average precision {report.TestMetrics.GetValueOrDefault("auprc"):0.####})");
        prPlot.XLabel("recall");
        prPlot.YLabel("precision");
        return SideBySide(rocPlot, prPlot);
    }

    /// <summary>Predicted against actual values (left, the diagonal is perfect) and residuals against predictions (right), test rows.</summary>
    public static byte[]? Regression(WorkflowReport report)
    {
        if (report.Diagnostics is not { Actual: { Count: > 0 } actual, Predicted: { } predicted })
            return null;
        var x = actual.ToArray();
        var y = predicted.ToArray();
        var scatter = new Plot();
        var points = scatter.Add.ScatterPoints(x, y, Candidate);
        points.MarkerSize = 4;
        double low = Math.Min(x.Min(), y.Min()), high = Math.Max(x.Max(), y.Max());
        scatter.Add.Line(low, low, high, high).LinePattern = LinePattern.Dashed;
        double baseline = report.BaselineTestMetrics.GetValueOrDefault("mae");
        scatter.Title($"predicted against actual, test rows (MAE {report.Test:0.####}{(report.Metric == "mae" ? $", baseline {baseline:0.####}" : "")})");
        scatter.XLabel($"actual {report.Label}");
        scatter.YLabel("predicted");

        var residuals = new Plot();
        var r = residuals.Add.ScatterPoints(y, x.Zip(y, (a, p) => a - p).ToArray(), Candidate);
        r.MarkerSize = 4;
        residuals.Add.HorizontalLine(0, 1, BaselineColor, LinePattern.Dashed);
        residuals.Title("residuals (actual − predicted) against predictions: a pattern is a bias the model missed");
        residuals.XLabel("predicted");
        residuals.YLabel("residual");
        return SideBySide(scatter, residuals);
    }

    /// <summary>Permutation importance of the input columns (the 25 largest), with the spread over the shuffles.</summary>
    public static byte[]? Importance(WorkflowReport report)
    {
        var importance = report.Diagnostics.Importance.Take(25).ToArray();
        if (importance.Length == 0)
            return null;
        var plot = new Plot();
        for (int i = 0; i < importance.Length; i++)
        {
            plot.Add.Bar(new Bar
            {
                Position = importance.Length - 1 - i,
                Value = importance[i].Drop,
                Error = importance[i].StandardDeviation,
                FillColor = importance[i].Drop > 0 ? Candidate : BaselineColor,
                Orientation = Orientation.Horizontal,
            });
        }
        plot.Axes.Left.SetTicks(Enumerable.Range(0, importance.Length).Select(i => (double)(importance.Length - 1 - i)).ToArray(), importance.Select(c => c.Column).ToArray());
        plot.Axes.Left.MinimumSize = 160;
        plot.Title($"permutation importance: test {report.Metric} lost when a column is shuffled (mean ± SD, {PermutationImportance.Repeats} shuffles)");
        plot.XLabel($"{report.Metric} lost");
        return plot.GetImageBytes(Width, Math.Max(Height, 60 + 22 * importance.Length), ImageFormat.Png);
    }

    /// <summary>The diagnostics' pictures by file name (those the task has): what <see cref="WorkflowReport.Save"/> writes and the reports show.</summary>
    public static IReadOnlyList<(string File, string Title, byte[] Png)> TestPictures(WorkflowReport report) =>
        new (string File, string Title, Func<WorkflowReport, byte[]?> Draw)[]
        {
            ("confusion.png", "confusion matrix", Confusion),
            ("roc-pr.png", "ROC and precision-recall curves", ThresholdCurves),
            ("regression.png", "predicted against actual, residuals", Regression),
            ("importance.png", "permutation importance", Importance),
        }.Select(p => (p.File, p.Title, Png: p.Draw(report))).Where(p => p.Png is not null).Select(p => (p.File, p.Title, p.Png!)).ToArray();

    private static byte[] SideBySide(Plot left, Plot right)
    {
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(2 * (Height + 80), Height));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        foreach (var (plot, offset) in new[] { (left, 0), (right, Height + 80) })
        {
            using var image = SkiaSharp.SKImage.FromEncodedData(plot.GetImageBytes(Height + 80, Height, ImageFormat.Png));
            surface.Canvas.DrawImage(image, offset, 0);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
