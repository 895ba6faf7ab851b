using System.Globalization;
using System.Text;

namespace Mlx.Workflow;

/// <summary>Writes a <see cref="WorkflowReport"/> as Markdown: the steps, tables of columns and candidates, the final metrics.</summary>
internal static class MarkdownReport
{
    public static string Write(WorkflowReport r)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Workflow report: {r.Task} on '{r.Label}'").AppendLine();
        md.AppendLine($"**Test {r.Metric}: {Show(r.Test)}** — baseline ({r.BaselineName}) {Show(r.Baseline)}; "
            + $"chosen model: {r.Chosen}{(r.FinalEpochs is { } e ? $", retrained for {e} epochs" : "")}{(r.FinalRounds is { } b ? $", retrained for {b} boosting rounds" : "")}. "
            + $"{r.Rows:N0} rows ({r.DevelopmentRows:N0} for training and validation, {r.TestRows:N0} for the test); "
            + $"{r.Seconds:0} s of a {r.BudgetSeconds:0} s budget; seed {r.Seed}.").AppendLine();
        if (!r.BeatsBaseline)
            md.AppendLine("> **Warning:** the final model does not beat the baseline on the test split.").AppendLine();
        foreach (var step in r.Steps)
        {
            md.AppendLine($"## {step.Number}. {step.Name}").AppendLine();
            foreach (var line in step.Lines)
                md.AppendLine($"- {line}");
            md.AppendLine();
            if (step.Number == 1)
                Columns(md, r);
            if (step.Number == 6)
                Candidates(md, r);
            if (step.Number == 7)
                Metrics(md, r);
        }
        return md.ToString();
    }

    private static void Columns(StringBuilder md, WorkflowReport r)
    {
        md.AppendLine("| column | kind | type | missing | distinct | skewness | why |");
        md.AppendLine("|---|---|---|---:|---:|---:|---|");
        foreach (var c in r.Columns)
            md.AppendLine($"| {Escape(c.Name)} | {c.Kind} | {Escape(c.Type)} | {c.MissingRate:P1} | {c.DistinctValues:N0} | {(c.Skewness is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "")} | {Escape(c.Reason)} |");
        md.AppendLine();
    }

    private static void Candidates(StringBuilder md, WorkflowReport r)
    {
        md.AppendLine($"| candidate | stage | configuration | validation {r.Metric} | ± SD | training {r.Metric} | best epoch (round) | overfits | seconds |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---|---:|");
        foreach (var c in r.Candidates)
            md.AppendLine($"| {(c.Spec.Name == r.Chosen ? $"**{c.Spec.Name}**" : c.Spec.Name)} | {c.Spec.Stage} | {Escape(c.Spec.Describe())} | {Show(c.Mean)} | {Show(c.StandardDeviation)} | {Show(c.TrainingMean)} | {(c.BestEpoch ?? c.BestRounds)?.ToString(CultureInfo.InvariantCulture) ?? ""} | {(c.BestEpoch is null ? "" : c.Overfits ? "yes" : "no")} | {c.Seconds:0.0} |");
        foreach (var s in r.Skipped)
            md.AppendLine($"| {s.Name} | skipped | {Escape(s.Description)} | | | | | | {Escape(s.Reason)} |");
        md.AppendLine();
        md.AppendLine(r.BudgetStop is { } stop ? $"The time budget stopped the schedule {Escape(stop)}." : "The schedule ran to its end within the time budget.").AppendLine();
        md.AppendLine($"![validation {r.Metric} per candidate](candidates.png)").AppendLine();
        md.AppendLine("![validation loss curves](curves.png)").AppendLine();
    }

    private static void Metrics(StringBuilder md, WorkflowReport r)
    {
        md.AppendLine("| metric | final model | baseline |");
        md.AppendLine("|---|---:|---:|");
        foreach (var (name, value) in r.TestMetrics)
            md.AppendLine($"| {name} | {Show(value)} | {(r.BaselineTestMetrics.TryGetValue(name, out var b) ? Show(b) : "")} |");
        md.AppendLine();
        if (r.Diagnostics.PerClass is { } perClass)
        {
            md.AppendLine("| class | precision | recall | test rows |");
            md.AppendLine("|---|---:|---:|---:|");
            foreach (var c in perClass)
                md.AppendLine($"| {Escape(c.Class)} | {Show(c.Precision)} | {Show(c.Recall)} | {c.Support:N0} |");
            md.AppendLine();
        }
        if (r.Diagnostics.Importance.Count > 0)
        {
            md.AppendLine($"| column | permutation importance ({r.Metric} lost) | ± SD |");
            md.AppendLine("|---|---:|---:|");
            foreach (var i in r.Diagnostics.Importance)
                md.AppendLine($"| {Escape(i.Column)} | {Show(i.Drop)} | {Show(i.StandardDeviation)} |");
            md.AppendLine();
        }
        if (r.Diagnostics.ImportanceNote is { } note)
            md.AppendLine($"Permutation importance: {note}.").AppendLine();
        foreach (var (file, title, _) in ReportPlots.TestPictures(r))
            md.AppendLine($"![{title}]({file})").AppendLine();
        if (r.Environment is { } environment)
            md.AppendLine($"Run with {environment}.").AppendLine();
    }

    public static string Show(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|");
}
