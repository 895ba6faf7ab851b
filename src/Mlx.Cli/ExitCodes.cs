namespace Mlx.Cli;

/// <summary>The exit codes of <c>mlx</c>, which scripts can rely on.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The input cannot be used: a missing file or column, an unparsable CSV, a label with one value, a damaged model.</summary>
    public const int BadInput = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing required option.</summary>
    public const int Usage = 2;

    /// <summary><c>mlx monitor</c>: at least one column drifted.</summary>
    public const int Drift = 3;

    /// <summary>A failure inside mlx (a bug to report).</summary>
    public const int Internal = 4;
}
