using System.Globalization;

namespace Mlx.TestSupport;

/// <summary>A small CSV reader for the golden/test CSVs (header row, no quoted commas in numeric files).</summary>
public sealed class CsvTable
{
    private CsvTable(string[] header, string[][] rows)
    {
        Header = header;
        Rows = rows;
    }

    /// <summary>The column names.</summary>
    public string[] Header { get; }

    /// <summary>The raw cells, row by row.</summary>
    public string[][] Rows { get; }

    /// <summary>Reads a CSV file.</summary>
    public static CsvTable Load(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        return new CsvTable(lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToArray());
    }

    /// <summary>The named columns as doubles (correctly rounded parse), row-major.</summary>
    public double[][] Numeric(IReadOnlyList<string> columns)
    {
        var index = columns.Select(c => Array.IndexOf(Header, c) is var i && i >= 0 ? i : throw new KeyNotFoundException(c)).ToArray();
        return Rows.Select(r => index.Select(i => double.Parse(r[i], CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }
}
