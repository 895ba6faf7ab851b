using System.CommandLine;

namespace Mlx.Cli;

/// <summary>Options several commands share.</summary>
internal static class Options
{
    public static Option<FileInfo> Data(string description) => new("--data", "-d") { Description = description, Required = true };

    public static Option<FileInfo> Model() => new("--model", "-m") { Description = "The model.zip that 'mlx train' wrote.", Required = true };

    public static Option<DirectoryInfo> Out(string description, string defaultFolder) =>
        new("--out", "-o") { Description = description, DefaultValueFactory = _ => new DirectoryInfo(defaultFolder) };

    public static Option<bool> Json() => new("--json") { Description = "Write the result as JSON on standard output." };
}
