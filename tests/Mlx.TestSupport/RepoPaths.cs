namespace Mlx.TestSupport;

/// <summary>Locates files of the repository from a test's output folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mlx.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Mlx.sln not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root (the folder of Mlx.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The scikit-learn golden files copied from shared/golden.</summary>
    public static string SklearnGolden(string file) => Combine("tests", "golden", "sklearn", file);
}
