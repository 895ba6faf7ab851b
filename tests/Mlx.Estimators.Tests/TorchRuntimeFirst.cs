using System.Runtime.CompilerServices;

namespace Mlx.Estimators.Tests;

/// <summary>
/// Loads libtorch through <see cref="Mlx.Estimators.Runtime.TorchRuntime"/> before any test runs: MKL chooses its kernels at its first
/// matrix product, and <see cref="Mlx.Estimators.Runtime.MklVendorDispatch"/> must come before that (tests that use TorchSharp
/// directly run in parallel with the trainers' tests).
/// </summary>
internal static class TorchRuntimeFirst
{
    [ModuleInitializer]
    internal static void Load() => Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
}
