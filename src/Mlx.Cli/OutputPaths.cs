namespace Mlx.Cli;

/// <summary>
/// Checks where a command will write before it does any work: an hour of training must not end on "the output folder
/// is a file" or "permission denied".
/// </summary>
internal static class OutputPaths
{
    /// <summary>Creates the folder if needed and proves it writable; an <see cref="ArgumentException"/> naming the option otherwise.</summary>
    public static void CheckFolder(DirectoryInfo folder, string option)
    {
        if (File.Exists(folder.FullName))
            throw new ArgumentException($"{option} '{folder.FullName}' is a file, not a folder: name a folder (it is created if missing).");
        try
        {
            Mlx.Core.Persistence.WritableFolder.Ensure(folder.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{folder.FullName}' cannot be written ({e.Message}): choose a folder you can write to.", e);
        }
    }

    /// <summary>Checks that a file can be written there: not a folder, its folder writable.</summary>
    public static void CheckFile(FileInfo file, string option)
    {
        if (Directory.Exists(file.FullName))
            throw new ArgumentException($"{option} '{file.FullName}' is a folder: name a file.");
        CheckFolder(file.Directory ?? new DirectoryInfo("."), option + " (its folder)");
        if (file.Exists && file.IsReadOnly)
            throw new ArgumentException($"{option} '{file.FullName}' is read-only: choose another file or make it writable.");
    }
}
