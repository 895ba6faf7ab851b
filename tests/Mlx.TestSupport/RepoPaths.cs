using Mlx.Shared;

namespace Mlx.TestSupport;

/// <summary>Locates files of the repository from a test's output folder.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder of Mlx.sln).</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>A path below the repository root.</summary>
    public static string Combine(params string[] parts) => RepositoryRoot.Combine(parts);

    /// <summary>The scikit-learn golden files copied from shared/golden.</summary>
    public static string SklearnGolden(string file) => Combine("tests", "golden", "sklearn", file);
}
