using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Workflow;

/// <summary>
/// A CSV file (RFC 4180: header row, quoted fields, empty field = missing; the separator sniffed among comma,
/// semicolon, tab and bar, or given) as an IDataView with inferred column types: a column whose every non-empty field
/// is a number loads as Single (empty = NaN), every other as text. The records are read once by <see cref="CsvRecords"/>
/// for the inference and the row check, then loaded by ML.NET's text loader. Columns can be looked up by name, so new files with the same columns in another
/// order (or without the label) load against a trained model's schema.
/// </summary>
public sealed class CsvDataset
{
    private CsvDataset(string path, char separator, IReadOnlyList<string> header, IReadOnlyList<DataKind> kinds, IDataView data, int rows)
    {
        Separator = separator;
        Path = path;
        ColumnNames = header;
        Kinds = kinds;
        Data = data;
        Rows = rows;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The field separator (sniffed or given).</summary>
    public char Separator { get; }

    /// <summary>The header's column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Each column's loaded type (Single or String).</summary>
    public IReadOnlyList<DataKind> Kinds { get; }

    /// <summary>The rows, in file order on every pass.</summary>
    public IDataView Data { get; }

    /// <summary>Data rows.</summary>
    public int Rows { get; }

    /// <summary>Loads a CSV with inferred types.</summary>
    public static CsvDataset Load(MLContext ml, string path) => Load(ml, path, (DataViewSchema?)null, null);

    /// <summary>Loads a delimited file with inferred types and the given separator (null: sniffed).</summary>
    public static CsvDataset Load(MLContext ml, string path, char? separator) => Load(ml, path, (DataViewSchema?)null, separator);

    /// <summary>
    /// Loads a CSV whose columns take the types of a trained model's input schema (by name; columns the schema does not
    /// have are inferred); a column the schema has and the file lacks is simply absent, so the model's own error names it.
    /// </summary>
    public static CsvDataset Load(MLContext ml, string path, DataViewSchema? schema) => Load(ml, path, schema, (char?)null);

    /// <summary>Loads a delimited file against a trained model's schema (null: inferred) with the given separator (null: sniffed).</summary>
    public static CsvDataset Load(MLContext ml, string path, DataViewSchema? schema, char? separator)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No CSV file at '{System.IO.Path.GetFullPath(path)}'.", path);
        char sep = separator ?? CsvRecords.Sniff(path);
        var (header, fields) = Read(path, sep);
        var kinds = new DataKind[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            var known = schema?.GetColumnOrNull(header[c]);
            kinds[c] = known is { Type: var t } && t.RawType == typeof(float) ? DataKind.Single
                : known is { Type: TextDataViewType } ? DataKind.String
                : fields.All(row => IsBlank(row[c]) || double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                  && fields.Any(row => !IsBlank(row[c])) ? DataKind.Single : DataKind.String;
        }
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [sep],
            HasHeader = true,
            AllowQuoting = true,
            ReadMultilines = true,
            MissingRealsAsNaNs = true,
            TrimWhitespace = false,
            Columns = header.Select((name, c) => new TextLoader.Column(name, kinds[c], c)).ToArray(),
        });
        return new CsvDataset(path, sep, header, kinds, loader.Load(path), fields.Count);
    }

    private static bool IsBlank(string field) => field.AsSpan().Trim().IsEmpty;

    private static (string[] Header, List<string[]> Fields) Read(string path, char separator)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var records = CsvRecords.Read(reader, separator, path).GetEnumerator();
        if (!records.MoveNext())
            throw new InvalidDataException($"'{path}' is empty: a CSV with a header row and data rows is needed.");
        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1 || g.Key.Length == 0);
        if (duplicate is not null)
            throw new InvalidDataException(duplicate.Key.Length == 0
                ? $"'{path}': the header has an empty column name (column {Array.IndexOf(header, "") + 1}); name every column."
                : $"'{path}': the header names column '{duplicate.Key}' twice; column names must be unique.");
        var fields = new List<string[]>();
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Fields.Length != header.Length)
                throw new InvalidDataException($"'{path}' cannot be parsed as CSV: line {record.Line} has {record.Fields.Length} fields where the header has {header.Length}"
                    + (separator == ',' ? ". Quote fields that contain commas." : $" (separator '{(separator == '\t' ? "\\t" : separator.ToString())}'). Quote fields that contain it, or give the separator."));
            fields.Add(record.Fields);
        }
        if (fields.Count == 0)
            throw new InvalidDataException($"'{path}' has a header but no data rows.");
        return (header, fields);
    }
}
