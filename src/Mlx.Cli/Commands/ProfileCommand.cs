using System.CommandLine;
using Microsoft.ML;
using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli.Commands;

/// <summary><c>mlx profile</c>: the feature profile of a CSV (quantile bins, samples, missing rates, category frequencies) as JSON, the reference for <c>mlx monitor</c>.</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var data = Options.Data("The reference (training) CSV.");
        var output = new Option<FileInfo>("--out", "-o") { Description = "The profile JSON to write.", DefaultValueFactory = _ => new FileInfo("profile.json") };
        var ignore = new Option<string[]>("--ignore") { Description = "Columns not to profile (e.g. the label; comma separated or repeated).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("profile", "Profile a CSV's numeric and categorical columns for drift monitoring ('mlx train' writes profile.json too).") { data, output, ignore };
        command.SetAction(result =>
        {
            OutputPaths.CheckFile(result.GetValue(output)!, "--out");
            var ml = new MLContext(1);
            var csv = CsvDataset.Load(ml, result.GetValue(data)!.FullName);
            var leaveOut = (result.GetValue(ignore) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            // As 'mlx train' does: a name that is not a column is a typing mistake, not a request to profile everything.
            foreach (var missing in leaveOut.Where(c => !csv.ColumnNames.Contains(c)))
                throw new ArgumentException($"--ignore names '{missing}', which is not a column of {result.GetValue(data)!.Name}; its columns are: {string.Join(", ", csv.ColumnNames)}.");
            var profile = TrainingProfile.Create(ml, csv.Data, leaveOut);
            var target = result.GetValue(output)!;
            profile.Save(target.FullName);
            AnsiConsole.MarkupLine($"profiled {profile.Rows:N0} rows: {profile.Slots.Count} numeric column(s), {profile.Categories.Count} categorical column(s) → {Markup.Escape(target.FullName)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
