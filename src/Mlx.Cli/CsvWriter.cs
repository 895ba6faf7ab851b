using System.Globalization;
using System.Text;
using Microsoft.VisualBasic.FileIO;

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

    /// <summary>Copies the header and the data rows at the given 0-based positions of a CSV to another file.</summary>
    public static void CopyRows(string source, string destination, IReadOnlyCollection<int> rows)
    {
        var keep = rows.ToHashSet();
        using var parser = new TextFieldParser(source) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var output = new StringBuilder();
        output.AppendLine(Line(parser.ReadFields()!));
        int row = 0;
        while (!parser.EndOfData)
        {
            var fields = parser.ReadFields();
            if (fields is null || fields.Length == 1 && fields[0].Length == 0)
                continue;
            if (keep.Contains(row++))
                output.AppendLine(Line(fields));
        }
        File.WriteAllText(destination, output.ToString());
    }
}
