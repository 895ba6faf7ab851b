using System.Net;
using System.Text;

namespace Mlx.Workflow;

/// <summary>Writes a <see cref="WorkflowReport"/> as one self-contained HTML page: the Markdown's content as HTML with the plots embedded as PNG data URIs.</summary>
internal static class HtmlReport
{
    public static string Write(WorkflowReport r)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>Workflow report: {Encode(r.Task.ToString())} on {Encode(r.Label)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}"
            + "td.n{text-align:right}.warn{background:#fff3cd;padding:.5em 1em;border-left:4px solid #e0a800}.chosen{font-weight:bold;background:#e8f5e9}img{max-width:100%}</style></head><body>");
        html.AppendLine($"<h1>Workflow report: {Encode(r.Task.ToString())} on '{Encode(r.Label)}'</h1>");
        html.AppendLine($"<p><b>Test {Encode(r.Metric)}: {MarkdownReport.Show(r.Test)}</b> — baseline ({Encode(r.BaselineName)}) {MarkdownReport.Show(r.Baseline)}; chosen model: {Encode(r.Chosen)}"
            + $"{(r.FinalEpochs is { } e ? $", retrained for {e} epochs" : "")}{(r.FinalRounds is { } b ? $", retrained for {b} boosting rounds" : "")}. {r.Rows:N0} rows ({r.DevelopmentRows:N0} for training and validation, {r.TestRows:N0} for the test); "
            + $"{r.Seconds:0} s of a {r.BudgetSeconds:0} s budget; seed {r.Seed}.</p>");
        if (!r.BeatsBaseline)
            html.AppendLine("<p class=\"warn\">The final model does not beat the baseline on the test split.</p>");
        foreach (var step in r.Steps)
        {
            html.AppendLine($"<h2>{step.Number}. {Encode(step.Name)}</h2><ul>");
            foreach (var line in step.Lines)
                html.AppendLine($"<li>{Encode(line)}</li>");
            html.AppendLine("</ul>");
            if (step.Number == 1)
                Table(html, ["column", "kind", "type", "missing", "distinct", "skewness", "why"],
                    r.Columns.Select(c => new[] { c.Name, c.Kind.ToString(), c.Type, c.MissingRate.ToString("P1"), c.DistinctValues.ToString("N0"), c.Skewness?.ToString("0.00") ?? "", c.Reason }), _ => false);
            if (step.Number == 6)
            {
                Table(html, ["candidate", "stage", "configuration", $"validation {r.Metric}", "± SD", $"training {r.Metric}", "best epoch (round)", "overfits", "seconds"],
                    r.Candidates.Select(c => new[] { c.Spec.Name, c.Spec.Stage, c.Spec.Describe(), MarkdownReport.Show(c.Mean), MarkdownReport.Show(c.StandardDeviation), MarkdownReport.Show(c.TrainingMean),
                        (c.BestEpoch ?? c.BestRounds)?.ToString() ?? "", c.BestEpoch is null ? "" : c.Overfits ? "yes" : "no", c.Seconds.ToString("0.0") })
                    .Concat(r.Skipped.Select(s => new[] { s.Name, "skipped", s.Description, "", "", "", "", "", s.Reason })),
                    row => row[0] == r.Chosen);
                Image(html, ReportPlots.Candidates(r), $"validation {r.Metric} per candidate");
                Image(html, ReportPlots.Curves(r), "validation loss curves");
            }
            if (step.Number == 7)
            {
                Table(html, ["metric", "final model", "baseline"],
                    r.TestMetrics.Select(m => new[] { m.Key, MarkdownReport.Show(m.Value), r.BaselineTestMetrics.TryGetValue(m.Key, out var b) ? MarkdownReport.Show(b) : "" }), _ => false);
                if (r.Diagnostics.PerClass is { } perClass)
                    Table(html, ["class", "precision", "recall", "test rows"],
                        perClass.Select(c => new[] { c.Class, MarkdownReport.Show(c.Precision), MarkdownReport.Show(c.Recall), c.Support.ToString("N0") }), _ => false);
                if (r.Diagnostics.Importance.Count > 0)
                    Table(html, ["column", $"permutation importance ({r.Metric} lost)", "± SD"],
                        r.Diagnostics.Importance.Select(i => new[] { i.Column, MarkdownReport.Show(i.Drop), MarkdownReport.Show(i.StandardDeviation) }), _ => false);
                if (r.Diagnostics.ImportanceNote is { } note)
                    html.AppendLine($"<p>Permutation importance: {Encode(note)}.</p>");
                foreach (var (_, title, png) in ReportPlots.TestPictures(r))
                    Image(html, png, title);
                if (r.Environment is { } environment)
                    html.AppendLine($"<p>Run with {Encode(environment.ToString())}.</p>");
            }
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Table(StringBuilder html, string[] header, IEnumerable<string[]> rows, Func<string[], bool> highlight)
    {
        html.Append("<table><tr>");
        foreach (var h in header)
            html.Append($"<th>{Encode(h)}</th>");
        html.AppendLine("</tr>");
        foreach (var row in rows)
        {
            html.Append(highlight(row) ? "<tr class=\"chosen\">" : "<tr>");
            foreach (var cell in row)
                html.Append(double.TryParse(cell.TrimEnd('%'), out _) ? $"<td class=\"n\">{Encode(cell)}</td>" : $"<td>{Encode(cell)}</td>");
            html.AppendLine("</tr>");
        }
        html.AppendLine("</table>");
    }

    private static void Image(StringBuilder html, byte[] png, string alt) =>
        html.AppendLine($"<p><img alt=\"{Encode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"></p>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
