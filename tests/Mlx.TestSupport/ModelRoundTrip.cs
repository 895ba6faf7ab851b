using System.Diagnostics;
using Microsoft.ML;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>
/// Saves a model and its input, loads the model in a NEW process (tests/Mlx.ModelLoadHost, which
/// only calls mlContext.Model.Load) and returns what that process computed.
/// </summary>
public static class ModelRoundTrip
{
    /// <summary>Runs the model in another process and returns its output data (read back from binary IDV).</summary>
    public static IDataView TransformInNewProcess(MLContext ml, ITransformer model, IDataView input, string workDir)
    {
        Directory.CreateDirectory(workDir);
        string modelPath = Path.Combine(workDir, "model.zip");
        string inputPath = Path.Combine(workDir, "input.idv");
        string outputPath = Path.Combine(workDir, "output.idv");
        ml.Model.Save(model, input.Schema, modelPath);
        using (var stream = File.Create(inputPath))
            ml.Data.SaveAsBinary(input, stream, keepHidden: false);

        var host = HostDll();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { host, modelPath, inputPath, outputPath })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "model-load host timed out");
        Assert.True(process.ExitCode == 0, $"model-load host failed ({process.ExitCode}):\n{stdout}\n{stderr}");
        return ml.Data.LoadFromBinary(outputPath);
    }

    /// <summary>The host built next to this test assembly (referenced as a project) or in its own output folder.</summary>
    private static string HostDll()
    {
        string local = Path.Combine(AppContext.BaseDirectory, "Mlx.ModelLoadHost.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "Mlx.ModelLoadHost.runtimeconfig.json")))
            return local;
        // tests/<Project>/bin/<Configuration>/net10.0/ -> tests/Mlx.ModelLoadHost/bin/<Configuration>/net10.0/
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = dir.Parent!.Name;
        string candidate = RepoPaths.Combine("tests", "Mlx.ModelLoadHost", "bin", configuration, dir.Name, "Mlx.ModelLoadHost.dll");
        Assert.True(File.Exists(candidate), $"Mlx.ModelLoadHost not built: {candidate}");
        return candidate;
    }
}
