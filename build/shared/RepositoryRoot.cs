namespace Mlx.Shared;

/// <summary>
/// Finds the repository root (the folder of Mlx.sln) from a program's output folder. Compiled into the
/// examples, benchmarks and test helpers (linked source) so they can read bundled data and golden files.
/// </summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Mlx.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Mlx.sln not found above {AppContext.BaseDirectory}: run from a clone of the Mlx repository.");
    });

    /// <summary>The repository root.</summary>
    public static string Path => Root.Value;

    /// <summary>A path below the repository root.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
