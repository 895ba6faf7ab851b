using System.Runtime.InteropServices;

namespace Mlx.Estimators.Runtime;

/// <summary>
/// The C library's environment, which native code (MKL, libtorch) reads: .NET keeps its own copy on Unix, so
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach it. glibc only; callers catch
/// <see cref="DllNotFoundException"/> / <see cref="EntryPointNotFoundException"/> elsewhere.
/// </summary>
internal static class NativeEnvironment
{
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnvironment(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint GetEnvironment(string name);

    /// <summary>The variable's value in the C library's environment, or null when unset.</summary>
    public static string? Get(string name) => GetEnvironment(name) is var value && value != 0 ? Marshal.PtrToStringAnsi(value) : null;

    /// <summary>Sets the variable unless it is set already (the user's choice wins).</summary>
    public static void SetIfUnset(string name, string value) => SetEnvironment(name, value, overwrite: 0);
}
