using System.CommandLine;
using Mlx.Cli;
using Mlx.Cli.Commands;
using Spectre.Console;

// mlx: the universal workflow of machine learning on a CSV, and the commands around its model.
var root = new RootCommand("mlx — from a CSV to a tuned, saved, reported ML.NET model (\"Deep Learning with Python\" 4.5), and back: evaluate, predict, summary, profile, monitor.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(SummaryCommand.Create());
root.Subcommands.Add(ProfileCommand.Create());
root.Subcommands.Add(MonitorCommand.Create());

// Redirected output (a log, a CI job) is not wrapped at Spectre's default 80 columns.
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"mlx: {error.Message}");
    Console.Error.WriteLine("Run 'mlx --help' (or 'mlx <command> --help') for the usage.");
    return ExitCodes.Usage;
}
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (CommandErrors.IsInputError(e))
{
    AnsiConsole.Console.Profile.Out.Writer.Flush();
    Console.Error.WriteLine($"mlx: error: {CommandErrors.Message(e)}");
    return ExitCodes.BadInput;
}
catch (Exception e)
{
    Console.Error.WriteLine($"mlx: internal error (please report it): {e}");
    return ExitCodes.Internal;
}
