using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli.Commands;

/// <summary><c>mlx summary</c>: what a saved workflow model contains — task, label, classes, metric, the columns it reads and its transformers (a network's layers).</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = Options.Model();
        var command = new Command("summary", "Show what a saved model contains: task, label, classes, metric, input columns, transformers and network layers.") { model };
        command.SetAction(result =>
        {
            var ml = new MLContext(1);
            var file = result.GetValue(model)!;
            var loaded = WorkflowModel.Load(ml, file.FullName);
            var info = loaded.Info;
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]model[/]", Markup.Escape(file.FullName));
            grid.AddRow("[bold]task[/]", info.Task.ToString());
            grid.AddRow("[bold]label[/]", Markup.Escape(info.Label));
            if (info.Classes is { } classes)
                grid.AddRow("[bold]classes[/]", Markup.Escape(string.Join(", ", classes)) + (info.PositiveClass is { } p ? $" (positive: {Markup.Escape(p)})" : ""));
            grid.AddRow("[bold]metric[/]", info.Metric);
            grid.AddRow("[bold]chosen[/]", Markup.Escape(info.Chosen));
            grid.AddRow("[bold]reads[/]", Markup.Escape(string.Join(", ", info.FeatureColumns)));
            AnsiConsole.Write(grid);
            var tree = new Tree("[bold]transformers[/]");
            Add(tree, loaded.Model);
            AnsiConsole.Write(tree);
            var report = Path.Combine(file.DirectoryName ?? ".", "report.json");
            if (File.Exists(report))
            {
                var r = WorkflowReport.FromJson(File.ReadAllText(report));
                AnsiConsole.MarkupLine($"report.json beside it: test {r.Metric} {r.Test:0.####} (baseline {r.Baseline:0.####}), {r.DevelopmentRows:N0} training rows, {r.TestRows:N0} test rows");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Add(IHasTreeNodes node, ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var part in chain)
                Add(node, part);
            return;
        }
        var child = node.AddNode(Markup.Escape(transformer.GetType().Name));
        if (transformer is NeuralNetworkModel network)
            foreach (var line in network.Summary().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                child.AddNode($"[grey]{Markup.Escape(line.TrimEnd())}[/]");
    }
}
