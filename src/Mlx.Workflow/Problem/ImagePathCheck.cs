using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Workflow;

/// <summary>
/// A column whose every value names an image file is only an image column if the files are there: a provenance
/// column (where a photo was copied from) names files that do not exist under the image folder, and featurizing it
/// would fail on the first row. When none of a sample of its training values resolves to a file, it is left out as an
/// identifier, with the reason; when some do, it stays (the featurizer names the files it cannot read).
/// </summary>
internal static class ImagePathCheck
{
    /// <summary>Values checked per column.</summary>
    public const int Sample = 20;

    /// <param name="columns">The inspected columns.</param>
    /// <param name="data">The data.</param>
    /// <param name="rows">Training rows, in order.</param>
    /// <param name="folder">Where relative paths start (the CSV's folder); the current directory when null.</param>
    public static IReadOnlyList<ColumnSummary> Apply(IReadOnlyList<ColumnSummary> columns, IDataView data, int[] rows, string? folder)
    {
        var images = columns.Where(c => c.Kind == ColumnKind.ImagePath).ToArray();
        if (images.Length == 0)
            return columns;
        var wanted = rows.Take(Sample * 4).ToHashSet();
        var verdicts = new Dictionary<string, string>();
        foreach (var column in images)
        {
            var values = new List<string>();
            using (var cursor = data.GetRowCursor([data.Schema[column.Name]]))
            {
                var get = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema[column.Name]);
                ReadOnlyMemory<char> value = default;
                while (values.Count < Sample && cursor.MoveNext())
                {
                    if (!wanted.Contains((int)cursor.Position))
                        continue;
                    get(ref value);
                    if (!value.IsEmpty)
                        values.Add(value.ToString().Trim());
                }
            }
            var root = folder ?? Directory.GetCurrentDirectory();
            if (values.Count > 0 && !values.Any(v => File.Exists(Path.IsPathRooted(v) ? v : Path.Combine(root, v))))
                verdicts[column.Name] = $"its values look like image files but none of {values.Count} sampled exists under '{root}' (e.g. '{values[0]}'): a record of where the images came from, not images to read";
        }
        return columns.Select(c => verdicts.TryGetValue(c.Name, out var why) ? c with { Kind = ColumnKind.Identifier, Reason = why } : c).ToArray();
    }
}
