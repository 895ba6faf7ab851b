namespace Mlx.Cli;

/// <summary>The <c>--separator</c> option's text as a character.</summary>
internal static class Separators
{
    /// <summary>Null (sniff) for no value; "tab" or "\t" for a tab; "comma", "semicolon", "pipe" by name; else the one character.</summary>
    public static char? Parse(string? text) => text switch
    {
        null => null,
        "tab" or "\\t" or "\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        "pipe" or "bar" => '|',
        { Length: 1 } c when c[0] is not ('"' or '\r' or '\n') => c[0],
        _ => throw new ArgumentException($"--separator '{text}' is not one character: write ',', ';', '|', 'tab' or another single character (not a quote or line break)."),
    };
}
