using System.Runtime.InteropServices;

namespace Mlx.Estimators.Runtime;

/// <summary>
/// Stops training from spending its time in page faults: every step frees and re-allocates the same multi-megabyte
/// activation and gradient buffers, and by default the C library returns each of them to the kernel and maps fresh
/// zeroed pages for the next (the book's MNIST convnet took 2.1 million page faults in 4 epochs of 6,000 rows; about
/// a quarter of its CPU time was the kernel zeroing pages, measured with perf).
/// </summary>
/// <remarks>
/// Two settings, made once before libtorch starts, each only where it is not set already:
/// <list type="bullet">
/// <item>glibc's <c>mallopt</c>: blocks up to 128 MiB come from the heap instead of their own <c>mmap</c> and up to
/// 256 MiB of freed memory stays with the process instead of being trimmed (the retention bound). 2.1 M → 50 k page
/// faults, first training of the process 7.0 → 4.2 s (measured with a 32 MiB ceiling, glibc's own adaptive maximum).
/// The ceiling is 128 MiB because a 224×224 convnet's first activation at batch 32 is about 100 MiB (ResNet18's stem:
/// 32 × 64 × 112 × 112 floats): mapped afresh it cost a zeroed page per 4 KiB every batch, and the imported ResNet18
/// forward went from 0.86–0.92× to 0.95–0.97× of ONNX Runtime (which keeps its own arena) when it came from the heap.</item>
/// <item>libtorch's <c>THP_MEM_ALLOC_ENABLE</c>: tensors of 2 MiB or more are aligned to and advised as transparent
/// huge pages, so the larger blocks still mapped per step (a 224×224 convnet's activations) fault once per 2 MiB, not
/// per 4 KiB.</item>
/// </list>
/// Memory held by the process can stay up to 256 MiB higher after a training; <see cref="NativeTuning.OptOutVariable"/>=0
/// turns both off.
/// </remarks>
internal static class AllocatorTuning
{
    private const int MmapThresholdOption = -3, TrimThresholdOption = -1;   // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD in <malloc.h>
    private const int MmapThreshold = 128 << 20, TrimThreshold = 256 << 20;
    private const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int option, int value);

    /// <summary>Whether glibc keeps blocks up to 128 MiB on the heap (set by Mlx or by the MALLOC_ variables).</summary>
    public static bool HeapReuse { get; private set; }

    /// <summary>Whether libtorch advises its large tensors as huge pages.</summary>
    public static bool HugePages { get; private set; }

    /// <summary>Applies both settings (Linux with glibc; elsewhere nothing changes). Runs before libtorch is loaded.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || NativeTuning.OptedOut)
            return;
        try
        {
            // The user's own MALLOC_*_ variables win: glibc read them at start-up and mallopt would override them.
            if (NativeEnvironment.Get("MALLOC_MMAP_THRESHOLD_") == null && NativeEnvironment.Get("MALLOC_TRIM_THRESHOLD_") == null)
                HeapReuse = MallocOption(MmapThresholdOption, MmapThreshold) == 1 & MallocOption(TrimThresholdOption, TrimThreshold) == 1;
            else
                HeapReuse = true;
            // libtorch reads the C library's environment at its first allocation.
            NativeEnvironment.SetIfUnset(HugePagesVariable, "1");
            HugePages = NativeEnvironment.Get(HugePagesVariable) == "1";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the C library's own policy.
        }
    }
}
