using System.Runtime.InteropServices;

namespace Mlx.Estimators.Runtime;

/// <summary>
/// Addresses of symbols in the libtorch_cpu.so this process has loaded, or in the libraries it links (its libgomp):
/// <c>dlsym</c> on libtorch's own handle searches its dependencies too, so this finds exactly the copies libtorch uses.
/// </summary>
internal static class LibtorchSymbols
{
    private const int RtldLazy = 0x1, RtldNoLoad = 0x4;

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint OpenLibrary(string file, int flags);

    [DllImport("libc", EntryPoint = "dlsym")]
    private static extern nint FindSymbol(nint library, string symbol);

    /// <summary>The address of <paramref name="symbol"/>, or 0 when libtorch is not loaded, lacks it, or this is not Linux.</summary>
    public static nint Find(string symbol)
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        try
        {
            nint library = OpenLibrary("libtorch_cpu.so", RtldLazy | RtldNoLoad); // only if already loaded
            return library == 0 ? 0 : FindSymbol(library, symbol);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }
}
