using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualBasic.FileIO;

namespace Mlx.Workflow;

/// <summary>
/// A CSV file (RFC 4180: header row, comma separator, quoted fields, empty field = missing) as an IDataView with
/// inferred column types: a column whose every non-empty field is a number loads as Single (empty = NaN), every other
/// as text. The fields are read once with .NET's <see cref="TextFieldParser"/> for the inference and the row check,
/// then loaded by ML.NET's text loader. Columns can be looked up by name, so new files with the same columns in another
/// order (or without the label) load against a trained model's schema.
/// </summary>
public sealed class CsvDataset
{
    private CsvDataset(string path, IReadOnlyList<string> header, IReadOnlyList<DataKind> kinds, IDataView data, int rows)
    {
        Path = path;
        ColumnNames = header;
        Kinds = kinds;
        Data = data;
        Rows = rows;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The header's column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Each column's loaded type (Single or String).</summary>
    public IReadOnlyList<DataKind> Kinds { get; }

    /// <summary>The rows, in file order on every pass.</summary>
    public IDataView Data { get; }

    /// <summary>Data rows.</summary>
    public int Rows { get; }

    /// <summary>Loads a CSV with inferred types.</summary>
    public static CsvDataset Load(MLContext ml, string path) => Load(ml, path, null);

    /// <summary>
    /// Loads a CSV whose columns take the types of a trained model's input schema (by name; columns the schema does not
    /// have are inferred); a column the schema has and the file lacks is simply absent, so the model's own error names it.
    /// </summary>
    public static CsvDataset Load(MLContext ml, string path, DataViewSchema? schema)
    {
        var (header, fields) = Read(path);
        var kinds = new DataKind[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            var known = schema?.GetColumnOrNull(header[c]);
            kinds[c] = known is { Type: var t } && t.RawType == typeof(float) ? DataKind.Single
                : known is { Type: TextDataViewType } ? DataKind.String
                : fields.All(row => row[c].Length == 0 || double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                  && fields.Any(row => row[c].Length > 0) ? DataKind.Single : DataKind.String;
        }
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','],
            HasHeader = true,
            AllowQuoting = true,
            ReadMultilines = true,
            MissingRealsAsNaNs = true,
            TrimWhitespace = false,
            Columns = header.Select((name, c) => new TextLoader.Column(name, kinds[c], c)).ToArray(),
        });
        return new CsvDataset(path, header, kinds, loader.Load(path), fields.Count);
    }

    private static (string[] Header, List<string[]> Fields) Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No CSV file at '{System.IO.Path.GetFullPath(path)}'.", path);
        using var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
        parser.SetDelimiters(",");
        string[] header;
        try
        {
            header = parser.ReadFields() ?? throw new InvalidDataException($"'{path}' is empty: a CSV with a header row and data rows is needed.");
        }
        catch (MalformedLineException e)
        {
            throw new InvalidDataException($"'{path}' cannot be parsed as CSV: line {e.LineNumber} is malformed (an unclosed quote?).", e);
        }
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1 || g.Key.Length == 0);
        if (duplicate is not null)
            throw new InvalidDataException(duplicate.Key.Length == 0
                ? $"'{path}': the header has an empty column name (column {Array.IndexOf(header, "") + 1}); name every column."
                : $"'{path}': the header names column '{duplicate.Key}' twice; column names must be unique.");
        var fields = new List<string[]>();
        while (!parser.EndOfData)
        {
            string[]? row;
            long line = parser.LineNumber;
            try
            {
                row = parser.ReadFields();
            }
            catch (MalformedLineException e)
            {
                throw new InvalidDataException($"'{path}' cannot be parsed as CSV: line {e.LineNumber} is malformed (an unclosed quote?).", e);
            }
            if (row is null || row.Length == 1 && row[0].Length == 0)
                continue;
            if (row.Length != header.Length)
                throw new InvalidDataException($"'{path}' cannot be parsed as CSV: line {line} has {row.Length} fields where the header has {header.Length}. Quote fields that contain commas.");
            fields.Add(row);
        }
        if (fields.Count == 0)
            throw new InvalidDataException($"'{path}' has a header but no data rows.");
        return (header, fields);
    }
}
