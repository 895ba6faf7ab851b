using System.Runtime.InteropServices;
using System.Runtime.ExceptionServices;

namespace Mlx.Estimators.Runtime;

/// <summary>
/// Runs work on a dedicated thread whose floating-point environment flushes denormal numbers to zero
/// (x86 FTZ + DAZ), inherited by the OpenMP threads libtorch starts from it.
/// </summary>
/// <remarks>
/// Why: optimiser state of weights whose gradient is zero (dead ReLU units) decays geometrically
/// (RMSProp's ρ = 0.9 per step) into the denormal range after a few hundred steps, where x86 arithmetic is
/// ~100× slower: a 784-512-10 RMSProp run slowed from 43k to 22k samples/s by its third epoch (measured;
/// SGD, which keeps no state, did not slow). TensorFlow/Keras flush denormals in their CPU threads for the
/// same reason. Only denormals (below 1.2e-38) are affected. Elsewhere than glibc on x86-64 it runs the
/// work on the dedicated thread without changing the environment.
/// </remarks>
internal static class FlushDenormals
{
    // glibc's x86-64 fenv_t is 32 bytes with the SSE control/status register (MXCSR) at offset 28;
    // FTZ is MXCSR bit 15, DAZ bit 6.
    private const int EnvironmentSize = 32, MxcsrOffset = 28;
    private const uint FlushToZero = 0x8000, DenormalsAreZero = 0x40;

    [DllImport("libm.so.6", EntryPoint = "fegetenv")]
    private static extern int GetEnvironment(byte[] environment);

    [DllImport("libm.so.6", EntryPoint = "fesetenv")]
    private static extern int SetEnvironment(byte[] environment);

    /// <summary>Runs <paramref name="work"/> on a new thread with denormals flushed; rethrows its exception.</summary>
    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                TryFlush();
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 16 * 1024 * 1024) { Name = "Mlx training", IsBackground = true };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Whether the last training thread started flushes denormals.</summary>
    public static bool IsActive { get; private set; }

    private static void TryFlush()
    {
        IsActive = false;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || NativeTuning.OptedOut)
            return;
        try
        {
            var environment = new byte[EnvironmentSize];
            if (GetEnvironment(environment) != 0)
                return;
            uint mxcsr = BitConverter.ToUInt32(environment, MxcsrOffset) | FlushToZero | DenormalsAreZero;
            BitConverter.TryWriteBytes(environment.AsSpan(MxcsrOffset), mxcsr);
            IsActive = SetEnvironment(environment) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: train with the default environment.
        }
    }
}
