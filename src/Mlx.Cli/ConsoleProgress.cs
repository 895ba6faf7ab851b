using Mlx.Workflow;
using Spectre.Console;

namespace Mlx.Cli;

/// <summary>
/// Shows the workflow's progress as it happens (synchronously, in order): a rule per step, a line per decision or
/// candidate, with the time used of the budget; a progress bar of the budget on interactive terminals.
/// </summary>
internal sealed class ConsoleProgress(ProgressTask? budgetBar) : IProgress<WorkflowProgress>
{
    public void Report(WorkflowProgress value)
    {
        if (budgetBar is not null)
        {
            budgetBar.Value = Math.Min(100, 100 * value.Elapsed.TotalSeconds / value.Budget.TotalSeconds);
            budgetBar.Description = $"step {value.Step}: {Markup.Escape(value.StepName)}";
        }
        if (value.Message.Length == 0)
            AnsiConsole.Write(new Rule($"[bold]{value.Step}. {Markup.Escape(value.StepName)}[/]") { Justification = Justify.Left });
        else
            AnsiConsole.MarkupLine($"[grey]{value.Elapsed.TotalSeconds,5:0}s[/] {Style(value.Message)}");
    }

    private static string Style(string message)
    {
        var escaped = Markup.Escape(message);
        return message.Contains("warning", StringComparison.OrdinalIgnoreCase) ? $"[yellow]{escaped}[/]"
            : message.StartsWith("chosen", StringComparison.Ordinal) || message.StartsWith("test ", StringComparison.Ordinal) ? $"[green]{escaped}[/]"
            : escaped;
    }
}
