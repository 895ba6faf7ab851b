using System.Diagnostics;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>Runs a .NET program (a dll beside the tests) as a child process and collects its exit code and both output streams.</summary>
public static class DotnetProcess
{
    /// <summary>What the process did.</summary>
    /// <param name="ExitCode">Its exit code.</param>
    /// <param name="Output">Standard output.</param>
    /// <param name="Error">Standard error.</param>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <c>dotnet dll arguments…</c> with extra environment variables; fails the test after the timeout.</summary>
    public static Result Run(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, int timeoutMilliseconds = 120_000)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        // Both streams are drained concurrently while waiting: reading one to its end first lets a child that fills
        // the other's pipe block forever, and the timeout would never apply.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', arguments)} timed out after {timeoutMilliseconds / 1000} s");
        }
        process.WaitForExit(); // flushes the redirected streams
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
