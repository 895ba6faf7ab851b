using System.CommandLine;
using Microsoft.ML;
using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli.Commands;

/// <summary><c>mlx train</c>: the workflow on a CSV; writes model.zip, the report (HTML, Markdown, JSON, plots), the test split, a feature profile and C# that consumes the model.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = Options.Data("The training CSV (header row, comma separated, RFC 4180 quoting).");
        var label = new Option<string>("--label", "-l") { Description = "The column to predict; several, comma separated, for a multilabel (all 0/1) or vector-regression label.", Required = true };
        var task = new Option<string?>("--task") { Description = "binary, multiclass, regression, multilabel or vector (detected from the label when left out)." };
        var metric = new Option<string?>("--metric") { Description = "The metric to optimise: auc, auprc, accuracy, f1, log-loss, macro-accuracy, mae, rmse, r2 (chosen by task and class balance when left out)." };
        var time = new Option<string>("--time", "-t") { Description = "Time budget: 90s, 5m, 1h30m (default 2m).", DefaultValueFactory = _ => "2m" };
        var output = Options.Out("Folder for model.zip, report.html/.md/.json, plots, test.csv, profile.json and ModelConsumer.cs.", "mlx-out");
        var seed = new Option<int>("--seed") { Description = "Seed of splits, shuffles and initializations.", DefaultValueFactory = _ => 1 };
        var positive = new Option<string?>("--positive") { Description = "The positive class of a binary label (default: 1/true/yes/positive if present, else the rarer class)." };
        var ignore = new Option<string[]>("--ignore") { Description = "Columns not to use as features (comma separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var keep = new Option<string[]>("--keep") { Description = "Columns to use as features although the workflow would leave them out (identifiers, suspected leakage); reported with a warning.", AllowMultipleArgumentsPerToken = true };
        var separator = new Option<string?>("--separator") { Description = "Field separator: ',', ';', 'tab', '|' or any one character (sniffed from the file when left out)." };
        var timeColumn = new Option<string?>("--time-column") { Description = "The date/time column that orders the rows for a time-ordered split (default: the first one found)." };
        var noTimeOrder = new Option<bool>("--no-time-order") { Description = "Shuffle rows with timestamps like any rows instead of testing and validating on the latest." };
        var command = new Command("train", "Run the universal workflow on a CSV: task, metric, protocol, preparation, baseline, candidates scaled up and regularized within the time budget, the chosen model retrained and tested once.")
        {
            data, label, task, metric, time, output, seed, positive, ignore, keep, separator, timeColumn, noTimeOrder,
        };
        command.SetAction(result =>
        {
            if (!Durations.TryParse(result.GetValue(time)!, out var budget))
                throw new ArgumentException($"--time '{result.GetValue(time)}' is not a duration between 0 and {Durations.Longest.TotalDays:0} days: write e.g. 90s, 5m or 1h30m.");
            var options = new WorkflowOptions
            {
                Task = ParseTask(result.GetValue(task)),
                Metric = result.GetValue(metric),
                TimeBudget = budget,
                Seed = result.GetValue(seed),
                PositiveClass = result.GetValue(positive),
                IgnoreColumns = Names(result.GetValue(ignore)),
                KeepColumns = Names(result.GetValue(keep)),
                TimeColumn = result.GetValue(timeColumn),
                UseTimeOrder = !result.GetValue(noTimeOrder),
            };
            return Run(result.GetValue(data)!, result.GetValue(label)!, result.GetValue(output)!, options, Separators.Parse(result.GetValue(separator)));
        });
        return command;
    }

    private static string[] Names(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static TaskKind? ParseTask(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "binary" or "binaryclassification" => TaskKind.BinaryClassification,
        "multiclass" or "multiclassclassification" => TaskKind.MulticlassClassification,
        "regression" => TaskKind.Regression,
        "multilabel" or "multilabelclassification" => TaskKind.MultilabelClassification,
        "vector" or "vectorregression" => TaskKind.VectorRegression,
        _ => throw new ArgumentException($"--task '{text}' is not a task: use binary, multiclass, regression, multilabel or vector."),
    };

    private static int Run(FileInfo dataFile, string label, DirectoryInfo output, WorkflowOptions options, char? separator)
    {
        OutputPaths.CheckFolder(output, "--out");
        var ml = new MLContext(options.Seed);
        var csv = CsvDataset.Load(ml, dataFile.FullName, separator);
        var labels = label.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var missing in labels.Where(l => !csv.ColumnNames.Contains(l)))
            throw new ArgumentException($"The label column '{missing}' is not in {dataFile.Name}; its columns are: {string.Join(", ", csv.ColumnNames)}.");
        options.ImageFolder = dataFile.DirectoryName;
        AnsiConsole.MarkupLine($"[bold]mlx train[/] {Markup.Escape(dataFile.Name)}: {csv.Rows:N0} rows × {csv.ColumnNames.Count} columns, label [bold]{Markup.Escape(label)}[/], budget {options.TimeBudget.TotalSeconds:0} s, seed {options.Seed}");
        WorkflowResult result = null!;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Progress().AutoClear(true).Start(context =>
            {
                var bar = context.AddTask("workflow");
                options.Progress = new ConsoleProgress(bar);
                result = new WorkflowRunner(ml).Run(csv.Data, labels, options);
                bar.Value = 100;
            });
        }
        else
        {
            options.Progress = new ConsoleProgress(null);
            result = new WorkflowRunner(ml).Run(csv.Data, labels, options);
        }
        output.Create();
        var report = result.Report;
        string Out(string name) => Path.Combine(output.FullName, name);
        result.Model.Save(ml, Out("model.zip"));
        report.Save(output.FullName);
        File.WriteAllText(Out("ModelConsumer.cs"), ConsumptionSnippet.Write(result.Model));
        // The held-out records exactly as they are in the source file (quotes, padding and line breaks inside fields kept).
        CsvRecords.CopyRecords(dataFile.FullName, Out("test.csv"), csv.Separator, result.TestRows);
        // The drift reference: the numeric and categorical columns the model reads, on the training rows only (the test
        // rows are new data to it). Text and images are not profiled.
        bool profiled = TrainingProfile.CanProfile(report.Columns.Where(c => c.IsFeature));
        if (profiled)
        {
            var testRows = result.TestRows.ToHashSet();
            var trainingRows = Enumerable.Range(0, csv.Rows).Where(r => !testRows.Contains(r)).ToArray();
            TrainingProfile.Create(ml, csv.Data, csv.ColumnNames.Except(result.Model.Info.FeatureColumns).ToArray(), trainingRows).Save(Out("profile.json"));
        }
        else
        {
            AnsiConsole.MarkupLine("[yellow]no profile.json: drift monitoring profiles numeric and categorical columns, and the model reads neither (only text or images)[/]");
        }
        Summary(report, output, profiled);
        return ExitCodes.Success;
    }

    private static void Summary(WorkflowReport report, DirectoryInfo output, bool profiled)
    {
        var table = new Table().Title($"candidates (validation {report.Metric}, {report.Protocol.Kind}, {report.Protocol.Fits} fit(s) each)")
            .AddColumns("candidate", "stage", $"{report.Metric}", "± SD", "best epoch/round", "s");
        foreach (var c in report.Candidates)
        {
            var name = c.Spec.Name == report.Chosen ? $"[green bold]{Markup.Escape(c.Spec.Name)}[/]" : Markup.Escape(c.Spec.Name);
            table.AddRow(name, c.Spec.Stage, $"{c.Mean:0.####}", $"{c.StandardDeviation:0.####}", (c.BestEpoch ?? c.BestRounds)?.ToString() ?? "", $"{c.Seconds:0.0}");
        }
        foreach (var s in report.Skipped)
            table.AddRow($"[grey]{Markup.Escape(s.Name)}[/]", $"[grey]skipped: {Markup.Escape(s.Reason.Contains("budget") ? "time budget" : s.Reason)}[/]", "", "", "", "");
        table.AddRow("[red]baseline[/]", Markup.Escape(report.BaselineName), $"{report.BaselineValidation:0.####}", "", "", "");
        AnsiConsole.Write(table);
        var verdict = report.BeatsBaseline ? "[green]beats the baseline[/]" : "[yellow]does not beat the baseline[/]";
        AnsiConsole.MarkupLine($"[bold]test {Markup.Escape(report.Metric)}: {report.Test:0.####}[/] (baseline {report.Baseline:0.####}) — {verdict}; {report.Seconds:0} s");
        AnsiConsole.MarkupLine($"wrote [link]{Markup.Escape(Path.Combine(output.FullName, "model.zip"))}[/], report.html, report.md, report.json, test.csv, {(profiled ? "profile.json, " : "")}ModelConsumer.cs in {Markup.Escape(output.FullName)}");
    }
}
