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

    /// <summary>The host, copied next to the test assembly by its project reference to tests/Mlx.ModelLoadHost.</summary>
    private static string HostDll()
    {
        string host = Path.Combine(AppContext.BaseDirectory, "Mlx.ModelLoadHost.dll");
        Assert.True(File.Exists(host) && File.Exists(Path.ChangeExtension(host, ".runtimeconfig.json")),
            $"{host} (and its runtimeconfig) not found: the test project must reference tests/Mlx.ModelLoadHost/Mlx.ModelLoadHost.csproj.");
        return host;
    }
}
