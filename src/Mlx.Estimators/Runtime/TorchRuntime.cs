using TorchSharp;

namespace Mlx.Estimators.Runtime;

/// <summary>
/// Loads libtorch once with a clear error when the native runtime is missing, and applies the
/// thread policy the trainers run under.
/// </summary>
/// <remarks>
/// On AMD CPUs with AVX-512 it also lets MKL use its AVX-512 kernels (see <see cref="MklVendorDispatch"/>), and it
/// keeps MKL's results reproducible across processes (see <see cref="MklReproducibility"/>).
/// TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13's libstdc++). Without it the first
/// TorchSharp call throws a TypeInitializationException that blames a missing libtorch package; this
/// class replaces that with the real cause and the command that fixes it.
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lazy<string> Version = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Ensures libtorch is loaded; returns the libtorch version description.</summary>
    /// <exception cref="InvalidOperationException">The native runtime cannot be loaded; the message says why and what to run.</exception>
    public static string EnsureAvailable() => Version.Value;

    /// <summary>
    /// Sets libtorch's intra-op thread count. On a small shared machine fewer threads than cores can be
    /// faster, because libtorch's OpenMP threads spin while waiting (set OMP_WAIT_POLICY=passive before start-up).
    /// </summary>
    /// <param name="threads">Threads for intra-op parallelism (1 or more).</param>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureAvailable();
        torch.set_num_threads(threads);
    }

    /// <summary>The current intra-op thread count of libtorch.</summary>
    public static int Threads
    {
        get
        {
            EnsureAvailable();
            return torch.get_num_threads();
        }
    }

    private static string Load()
    {
        try
        {
            // Start libtorch (and its intra-op worker threads, with a first parallel op) from a thread that flushes
            // denormals: the workers inherit that floating-point mode (see FlushDenormals).
            MklReproducibility.Apply();
            AllocatorTuning.Apply();
            FlushDenormals.Run(() =>
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                MklVendorDispatch.Apply();
                using var warmUp = torch.ones(1 << 16).sum();
                return 0;
            });
            return $"TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch {torch.__version__}), {torch.get_num_threads()} threads, MKL AVX-512 on AMD: {MklVendorDispatch.Status}";
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            throw new InvalidOperationException(
                "The TorchSharp native runtime could not be loaded. On Linux, TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32 " +
                "(GCC 13+; Debian 12 has only 3.4.30). Run 'sudo bash scripts/ensure-native-runtime.sh' from the Mlx repository " +
                "(or install your distribution's GCC 13+ runtime), then restart the application. Original error: " + e.GetBaseException().Message, e);
        }
    }
}
