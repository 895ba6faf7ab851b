using System.Globalization;

namespace Mlx.Cli;

/// <summary>Writes CSV rows with RFC 4180 quoting (fields with a comma, quote or line break quoted, quotes doubled).</summary>
internal static class CsvWriter
{
    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote));

    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A Single as its shortest round-trip text (13.71, not 13.710000038146973).</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
