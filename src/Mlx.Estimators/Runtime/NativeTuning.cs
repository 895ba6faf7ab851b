namespace Mlx.Estimators.Runtime;

/// <summary>
/// Which of Mlx's native speed-ups are active in this process. Each falls back silently where it cannot work (off
/// Linux x86-64, a C library that is not glibc, a libtorch without the expected symbol); this status says which are on,
/// and the trainers log it once per process (<see cref="Describe"/>). All are pure speed or reproducibility measures:
/// results are correct with any of them off.
/// </summary>
public static class NativeTuning
{
    /// <summary>Set to <c>0</c> before the first training to turn every native tuning off (for diagnosis).</summary>
    public const string OptOutVariable = "MLX_NATIVE_TUNING";

    private static int _logged;

    /// <summary>Whether <see cref="OptOutVariable"/> is 0.</summary>
    public static bool OptedOut => Environment.GetEnvironmentVariable(OptOutVariable) == "0";

    /// <summary>The status now (libtorch is loaded first).</summary>
    public static NativeTuningStatus Status
    {
        get
        {
            TorchRuntime.EnsureAvailable();
            return new NativeTuningStatus(
                OptedOut,
                FlushDenormals.IsActive,
                MklVendorDispatch.Status,
                MklReproducibility.IsActive,
                OpenMpTeam.IsAvailable,
                PagePrefaulter.IsEnabled,
                Environment.SystemPageSize,
                AllocatorTuning.HeapReuse,
                AllocatorTuning.HugePages);
        }
    }

    /// <summary>One line for the log: what is on and what is off.</summary>
    public static string Describe()
    {
        var s = Status;
        static string OnOff(bool on) => on ? "on" : "off";
        return $"Mlx native tuning{(s.OptedOut ? $" (all off: {OptOutVariable}=0)" : "")}: denormal flushing {OnOff(s.DenormalFlushing)}, " +
               $"MKL AVX-512 on AMD {s.MklAvx512OnAmd}, MKL reproducible mode {OnOff(s.MklReproducible)}, C# kernels on libtorch's OpenMP team " +
               $"{OnOff(s.OpenMpTeam)}, page prefaulting {OnOff(s.PagePrefaulting)} ({s.PageSize}-byte pages), heap reuse of freed tensors " +
               $"{OnOff(s.HeapReuse)}, huge pages for large tensors {OnOff(s.HugePages)}.";
    }

    /// <summary>True the first time it is called in the process (the trainers log <see cref="Describe"/> then).</summary>
    internal static bool FirstUse() => Interlocked.Exchange(ref _logged, 1) == 0;
}

/// <summary>Which native speed-ups are active (see <see cref="NativeTuning"/>).</summary>
/// <param name="OptedOut">All were turned off with <see cref="NativeTuning.OptOutVariable"/>=0.</param>
/// <param name="DenormalFlushing">Training threads flush denormals to zero (glibc on x86-64).</param>
/// <param name="MklAvx512OnAmd">Whether MKL may use its AVX-512 kernels on this AMD CPU.</param>
/// <param name="MklReproducible">MKL runs in its strict reproducible mode (MKL_CBWR set), so scores are bit-identical across thread counts.</param>
/// <param name="OpenMpTeam">The fused optimiser updates run on libtorch's own OpenMP threads.</param>
/// <param name="PagePrefaulting">A worker maps a fresh feature tensor's pages ahead of the reader (needs a second core).</param>
/// <param name="PageSize">The memory page size the prefaulter steps by.</param>
/// <param name="HeapReuse">glibc keeps freed blocks up to 128 MiB on the heap for the next training step or batch instead of unmapping them.</param>
/// <param name="HugePages">libtorch aligns tensors of 2 MiB or more to transparent huge pages.</param>
public sealed record NativeTuningStatus(bool OptedOut, bool DenormalFlushing, MklDispatchStatus MklAvx512OnAmd, bool MklReproducible,
    bool OpenMpTeam, bool PagePrefaulting, int PageSize, bool HeapReuse, bool HugePages);
