using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mlx.Shared;

namespace Mlx.Benchmarks;

/// <summary>Runs benchmarks/reference/fe_bench.py with Debian's Python when scikit-learn is installed.</summary>
internal static class SklearnReference
{
    private const string Python = "/usr/bin/python3";

    public static string? Unavailable()
    {
        if (!File.Exists(Python))
            return $"{Python} not found";
        var check = RunPython("-c \"import sklearn\"", out _, out var err, TimeSpan.FromSeconds(60));
        return check == 0 ? null : "scikit-learn not installed (apt-get install python3-sklearn)";
    }

    /// <summary>Median seconds per op, from one fe_bench.py run.</summary>
    public static IReadOnlyDictionary<string, double> Run(IEnumerable<string> ops, int reps, double scale)
    {
        string script = RepositoryRoot.Combine("benchmarks", "reference", "fe_bench.py");
        string outFile = Path.Combine(Path.GetTempPath(), $"mlx-fe-bench-{Environment.ProcessId}.json");
        string arguments = string.Create(CultureInfo.InvariantCulture,
            $"\"{script}\" --ops {string.Join(",", ops)} --reps {reps} --scale {scale} --out \"{outFile}\"");
        int code = RunPython(arguments, out var stdout, out var stderr, TimeSpan.FromMinutes(30));
        if (code != 0)
            throw new InvalidOperationException($"fe_bench.py failed ({code}): {stderr}");
        File.Delete(outFile);
        return JsonSerializer.Deserialize<Dictionary<string, double>>(stdout)!;
    }

    /// <summary>Runs Debian's Python with <paramref name="arguments"/>; returns its exit code and output.</summary>
    internal static int RunPython(string arguments, out string stdout, out string stderr, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
            process.Kill(entireProcessTree: true);
        stderr = err.Result;
        return process.ExitCode;
    }

}
