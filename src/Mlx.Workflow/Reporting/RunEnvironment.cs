using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace Mlx.Workflow;

/// <summary>
/// Versions and machine of a run, for the report: results (and times) are only comparable between runs of the same
/// versions on alike machines — and libtorch and MKL pick kernels by instruction set (docs/native-runtime.md).
/// </summary>
/// <param name="Mlx">Mlx.Workflow's version.</param>
/// <param name="MlNet">ML.NET's version.</param>
/// <param name="TorchSharp">TorchSharp's version.</param>
/// <param name="LightGbm">ML.NET's LightGBM package version.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="OperatingSystem">The operating system.</param>
/// <param name="Processor">The CPU model (Linux: /proc/cpuinfo), or the architecture.</param>
/// <param name="Cores">Logical processors.</param>
/// <param name="InstructionSet">The widest x86 vector instruction set (AVX-512, AVX2, …), or the architecture.</param>
public sealed record RunEnvironment(string Mlx, string MlNet, string TorchSharp, string LightGbm, string Runtime, string OperatingSystem, string Processor,
    int Cores, string InstructionSet)
{
    /// <summary>This process's.</summary>
    public static RunEnvironment Current() => new(
        Version(typeof(RunEnvironment).Assembly),
        Version(typeof(MLContext).Assembly),
        Version(typeof(Mlx.Estimators.NeuralNetworkOptions).Assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "TorchSharp") is { } torch ? Assembly.Load(torch) : null),
        Version(typeof(LightGbmBinaryTrainer).Assembly),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        ProcessorName(),
        System.Environment.ProcessorCount,
        Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : Avx.IsSupported ? "AVX" : RuntimeInformation.ProcessArchitecture.ToString());

    /// <summary>One line for the report.</summary>
    public override string ToString() =>
        $"Mlx {Mlx}, ML.NET {MlNet}, TorchSharp {TorchSharp}, LightGBM (ML.NET) {LightGbm}; {Runtime} on {OperatingSystem}; {Processor}, {Cores} logical cores, {InstructionSet}";

    private static string Version(Assembly? assembly)
    {
        if (assembly is null)
            return "?";
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // "6.0.0+commit": the version without the build metadata.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "?";
    }

    private static string ProcessorName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                    return line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
