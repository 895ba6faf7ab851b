using System.Globalization;

namespace Quickstart;

/// <summary>Header and per-column facts of cells.csv, to route strictly positive features to Box-Cox.</summary>
internal sealed record CellTable(string[] Header, int Rows, IReadOnlyList<int> Positive, IReadOnlyList<int> Other)
{
    public static CellTable Inspect(string path)
    {
        var lines = File.ReadLines(path).ToArray();
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var min = Enumerable.Repeat(double.PositiveInfinity, header.Length).ToArray();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            for (int i = 2; i < cells.Length; i++)
                min[i] = Math.Min(min[i], double.Parse(cells[i], CultureInfo.InvariantCulture));
        }
        var numeric = Enumerable.Range(2, header.Length - 2).ToArray();
        return new CellTable(header, lines.Length - 1, numeric.Where(i => min[i] > 0).ToArray(), numeric.Where(i => min[i] <= 0).ToArray());
    }
}
