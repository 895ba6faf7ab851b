namespace Mlx.Estimators.Runtime;

/// <summary>
/// Puts the Intel MKL inside libtorch in its strict conditional-numerical-reproducibility mode
/// (<c>MKL_CBWR=AUTO,STRICT</c>) unless the environment already says otherwise, so that a saved network scores
/// bit for bit the same in another process.
/// </summary>
/// <remarks>
/// Why: MKL's AVX-512 GEMM kernels (see <see cref="MklVendorDispatch"/>) may add a row's products in another order
/// depending on memory alignment, batch shape and thread count: a model reloaded in a new process gave scores 1 ulp
/// apart (measured; the tests compare bit for bit). In this mode MKL keeps one order for a given CPU and code path; the
/// 784-512-10 training ran at the same speed with and without it (measured). MKL reads the variable when it starts, so
/// this runs before libtorch is loaded; set <c>MKL_CBWR</c> yourself to choose another mode.
/// </remarks>
internal static class MklReproducibility
{
    private const string Variable = "MKL_CBWR";

    /// <summary>Whether MKL_CBWR is set in the C library's environment (by Mlx or by the user).</summary>
    public static bool IsActive { get; private set; }

    /// <summary>Sets MKL_CBWR=AUTO,STRICT in the process environment MKL reads, if it is unset (Linux).</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || NativeTuning.OptedOut)
            return;
        try
        {
            // MKL (native) reads the C library's environment, not .NET's copy.
            NativeEnvironment.SetIfUnset(Variable, "AUTO,STRICT");
            IsActive = NativeEnvironment.Get(Variable) != null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: MKL's default mode.
        }
    }
}
