using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Mlx.Estimators.Runtime;

/// <summary>What <see cref="MklVendorDispatch"/> did when libtorch was loaded.</summary>
public enum MklDispatchStatus
{
    /// <summary>Not an AMD x86-64 CPU with AVX-512 on Linux: MKL's own choice stands (it is right there).</summary>
    NotApplicable,

    /// <summary>Turned off by the environment variable <c>MLX_MKL_AMD_AVX512=0</c>.</summary>
    Disabled,

    /// <summary>MKL runs its AVX-512 kernels on this AMD CPU.</summary>
    Enabled,

    /// <summary>
    /// The libtorch build did not look as expected (symbol missing, other code, or MKL had already chosen its
    /// kernels): nothing was changed.
    /// </summary>
    Unrecognized,
}

/// <summary>
/// Lets the Intel MKL inside libtorch use its AVX-512 kernels on AMD CPUs that have AVX-512 (Zen 4 and later).
/// </summary>
/// <remarks>
/// Why: MKL picks its code path by CPU <em>vendor</em>, not by the instructions the CPU has; on AMD it runs
/// slower generic kernels. On this project's AMD EPYC (Zen 4, 2 cores) libtorch's float32 GEMMs of the
/// 784-512-10 network ran at 127–155 GFLOP/s, against 187–193 for OpenBLAS in PyTorch on the same machine, and at
/// 192–208 GFLOP/s with MKL's AVX-512 path (measured). This is the effect of the documented
/// <c>MKL_DEBUG_CPU_TYPE=5</c> switch that MKL 2020.1 removed.
/// How: MKL caches "is this an Intel CPU" in one variable that its function <c>mkl_serv_intel_cpu_true</c>
/// reads (<c>mov eax, [rip+d]; test eax, eax; js detect; ret</c>, −1 until detection ran). Before MKL's first
/// use this class writes 1 into that variable, so MKL dispatches on the instruction set, which Zen 4 has in full
/// (AVX-512 F/CD/BW/DQ/VL/VNNI/BF16). It changes nothing unless the function's code is exactly that pattern and
/// detection has not run yet; no code is modified. The results are the same float32 GEMMs (tested against a
/// double-precision product). Set <c>MLX_MKL_AMD_AVX512=0</c> before start-up to keep MKL's choice.
/// </remarks>
public static class MklVendorDispatch
{
    /// <summary>The environment variable that turns the change off when set to 0.</summary>
    public const string EnvironmentVariable = "MLX_MKL_AMD_AVX512";

    /// <summary>What was done when libtorch was loaded (set once by <see cref="TorchRuntime.EnsureAvailable"/>).</summary>
    public static MklDispatchStatus Status { get; private set; } = MklDispatchStatus.NotApplicable;

    /// <summary>Applies the change once libtorch is loaded and before its first matrix product.</summary>
    internal static void Apply()
    {
        if (!IsAmdWithAvx512())
            Status = MklDispatchStatus.NotApplicable;
        else if (Environment.GetEnvironmentVariable(EnvironmentVariable) == "0" || NativeTuning.OptedOut)
            Status = MklDispatchStatus.Disabled;
        else
            Status = TryMarkIntel() ? MklDispatchStatus.Enabled : MklDispatchStatus.Unrecognized;
    }

    private static bool IsAmdWithAvx512()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !X86Base.IsSupported)
            return false;
        if (!(Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported))
            return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> vendor = stackalloc byte[12];
        BitConverter.TryWriteBytes(vendor, ebx);
        BitConverter.TryWriteBytes(vendor[4..], edx);
        BitConverter.TryWriteBytes(vendor[8..], ecx);
        return Encoding.ASCII.GetString(vendor) == "AuthenticAMD";
    }

    private static bool TryMarkIntel()
    {
        nint function = LibtorchSymbols.Find("mkl_serv_intel_cpu_true");
        if (function == 0)
            return false;
        // 8B 05 d32    mov eax, [rip + d32]   (rip = function + 6)
        // 85 C0        test eax, eax
        // 78 ..        js detect
        var code = new byte[9];
        Marshal.Copy(function, code, 0, code.Length);
        if (code[0] != 0x8B || code[1] != 0x05 || code[6] != 0x85 || code[7] != 0xC0 || code[8] != 0x78)
            return false;
        nint cached = function + 6 + BitConverter.ToInt32(code, 2);
        if (Marshal.ReadInt32(cached) >= 0)
            return false; // MKL already detected the CPU: its kernel choice is made.
        Marshal.WriteInt32(cached, 1);
        return true;
    }
}
