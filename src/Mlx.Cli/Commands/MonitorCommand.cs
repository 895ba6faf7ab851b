using System.CommandLine;
using Microsoft.ML;
using Mlx.FeatureEngineering;
using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli.Commands;

/// <summary><c>mlx monitor</c>: the drift of new data against a training profile — PSI, Kolmogorov–Smirnov, Jensen–Shannon, missing rates per column; exit code 3 when a column drifted.</summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var profile = new Option<FileInfo>("--profile", "-p") { Description = "The profile.json of the training data ('mlx train' or 'mlx profile').", Required = true };
        var data = Options.Data("The new CSV (same columns, any order).");
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Folder for drift.csv and drift.png." };
        var command = new Command("monitor", "Compare new data with the training profile; exit code 3 when a column drifted (PSI >= 0.2 or KS p < 0.01).") { profile, data, output };
        command.SetAction(result =>
        {
            if (result.GetValue(output) is { } outFolder)
                OutputPaths.CheckFolder(outFolder, "--out");
            var ml = new MLContext(1);
            var reference = FeatureProfile.Load(result.GetValue(profile)!.FullName);
            var csv = CsvDataset.Load(ml, result.GetValue(data)!.FullName);
            var report = TrainingProfile.Compare(ml, reference, csv.Data);
            Console.WriteLine(report.ToString());
            if (result.GetValue(output) is { } folder)
            {
                folder.Create();
                report.WriteCsv(Path.Combine(folder.FullName, "drift.csv"));
                report.SavePlot(Path.Combine(folder.FullName, "drift.png"));
                AnsiConsole.MarkupLine($"wrote drift.csv and drift.png in {Markup.Escape(folder.FullName)}");
            }
            var drifted = report.Drifted.Select(s => s.Name).ToArray();
            AnsiConsole.MarkupLine(drifted.Length == 0 ? "[green]no drift[/]" : $"[yellow]drift in {drifted.Length} column(s): {Markup.Escape(string.Join(", ", drifted))}[/]");
            return drifted.Length == 0 ? ExitCodes.Success : ExitCodes.Drift;
        });
        return command;
    }
}
