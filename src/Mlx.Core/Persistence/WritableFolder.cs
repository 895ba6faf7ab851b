namespace Mlx.Core.Persistence;

/// <summary>Proves a folder writable before long work writes into it (a training run must not end on "permission denied").</summary>
public static class WritableFolder
{
    /// <summary>
    /// Creates <paramref name="folder"/> if missing, then writes and deletes an empty probe file in it. Throws the
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> of the file system: callers name their option.
    /// </summary>
    public static void Ensure(string folder)
    {
        Directory.CreateDirectory(folder);
        string probe = Path.Combine(folder, $".mlx-write-check-{Environment.ProcessId}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
    }
}
