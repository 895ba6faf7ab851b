using System.CommandLine;
using System.Text.Json;
using Microsoft.ML;
using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli.Commands;

/// <summary><c>mlx evaluate</c>: the task's metrics of a saved workflow model on a labelled CSV (e.g. the test.csv that train wrote: the report's test numbers).</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = Options.Model();
        var data = Options.Data("A labelled CSV with the training data's columns (any order).");
        var json = Options.Json();
        var command = new Command("evaluate", "Compute the task's metrics of a saved model on labelled data.") { model, data, json };
        command.SetAction(result =>
        {
            var ml = new MLContext(1);
            var loaded = WorkflowModel.Load(ml, result.GetValue(model)!.FullName);
            var csv = ModelData.Load(ml, loaded, result.GetValue(data)!, needLabel: true);
            var metrics = loaded.Evaluate(ml, csv.Data);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { task = loaded.Info.Task.ToString(), metric = loaded.Info.Metric, value = metrics[loaded.Info.Metric], metrics },
                    new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Success;
            }
            var table = new Table().Title($"{loaded.Info.Task} on {Markup.Escape(csv.Path)} ({csv.Rows:N0} rows)").AddColumns("metric", "value");
            foreach (var (name, value) in metrics)
                table.AddRow(name == loaded.Info.Metric ? $"[bold]{name}[/]" : name, $"{value:0.######}");
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
