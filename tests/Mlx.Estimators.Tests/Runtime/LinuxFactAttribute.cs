using System.Runtime.InteropServices;
using Xunit;

namespace Mlx.Estimators.Tests.Runtime;

/// <summary>
/// A fact about a Linux x86-64 native tuning (glibc's fenv, libgomp found through dlsym, MKL's environment): skipped,
/// with the reason, elsewhere, where Mlx falls back to plain behaviour by design.
/// </summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            Skip = "Linux x86-64 native tuning: elsewhere Mlx uses its portable fallback.";
    }
}
