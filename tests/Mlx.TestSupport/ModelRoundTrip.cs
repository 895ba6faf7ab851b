using Microsoft.ML;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>
/// Saves a model and its input, loads the model in a NEW process (tests/Mlx.ModelLoadHost, which
/// only calls mlContext.Model.Load) and returns what that process computed.
/// </summary>
public static class ModelRoundTrip
{
    private const int HostTimeoutMilliseconds = 120_000;

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

        var (exitCode, output) = RunHost(new[] { modelPath, inputPath, outputPath });
        Assert.True(exitCode == 0, $"model-load host failed ({exitCode}):\n{output}");
        return ml.Data.LoadFromBinary(outputPath);
    }

    /// <summary>Runs tests/Mlx.ModelLoadHost with <paramref name="arguments"/> (and extra environment variables); returns its exit code and output.</summary>
    public static (int ExitCode, string Output) RunHost(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = DotnetProcess.Run(HostDll(), arguments, environment, HostTimeoutMilliseconds);
        return (result.ExitCode, result.Output + result.Error);
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
