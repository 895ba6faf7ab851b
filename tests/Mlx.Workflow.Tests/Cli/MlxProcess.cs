using System.Diagnostics;
using Xunit;

namespace Mlx.Workflow.Tests.Cli;

/// <summary>Runs the mlx tool (mlx.dll, copied beside the tests by their project reference to src/Mlx.Cli) as a process.</summary>
internal static class MlxProcess
{
    private const int TimeoutMilliseconds = 300_000;

    public sealed record Run(int ExitCode, string Output, string Error);

    public static Run Invoke(params string[] arguments)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "mlx.dll");
        Assert.True(File.Exists(tool), $"{tool} not found: the test project must reference src/Mlx.Cli.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(tool);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        // A wide, non-interactive console: lines are not wrapped and no progress bar is drawn.
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mlx {string.Join(' ', arguments)} timed out");
        }
        process.WaitForExit();
        return new Run(process.ExitCode, stdout.Result, stderr.Result);
    }
}
