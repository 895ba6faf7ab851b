using System.Runtime.CompilerServices;

namespace Mlx.Workflow.Tests;

/// <summary>Loads libtorch through Mlx's runtime check before any test runs (MKL picks its kernels at its first product; see Mlx.Estimators.Tests).</summary>
internal static class TorchRuntimeFirst
{
    [ModuleInitializer]
    internal static void Load() => _ = Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
}
