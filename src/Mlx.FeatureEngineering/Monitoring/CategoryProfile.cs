using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>A categorical column of a <see cref="FeatureProfile"/>: each category's share of the non-missing rows, and the missing rate.</summary>
public sealed class CategoryProfile
{
    /// <summary>The column.</summary>
    public string Name { get; init; } = "";

    /// <summary>Share of rows with no category (empty text, missing key).</summary>
    public double MissingRate { get; init; }

    /// <summary>Each category's share of the non-missing rows (key columns: their key names, or the key number).</summary>
    public Dictionary<string, double> Frequencies { get; init; } = [];

    /// <summary>Counts the categories of a text or key column in one pass.</summary>
    internal static CategoryProfile Read(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name) ?? throw MlxError.MissingColumn(name, data.Schema.Select(c => c.Name), "categoricalColumns");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0, missing = 0;
        using var cursor = data.GetRowCursor([column]);
        Func<string?> read;
        if (column.Type is TextDataViewType)
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            read = () => { getter(ref text); return text.IsEmpty ? null : text.ToString(); };
        }
        else if (column.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
        {
            var getter = cursor.GetGetter<uint>(column);
            VBuffer<ReadOnlyMemory<char>> names = default;
            bool named = column.HasKeyValues();
            if (named)
                column.GetKeyValues(ref names);
            var labels = named ? names.DenseValues().Select(n => n.ToString()).ToArray() : null;
            uint key = 0;
            read = () => { getter(ref key); return key == 0 ? null : labels?[key - 1] ?? key.ToString(System.Globalization.CultureInfo.InvariantCulture); };
        }
        else
        {
            throw MlxError.WrongColumnType(name, "text or a key (UInt32)", $"{column.Type}", "Profile numbers through the feature column; map other categories with MapValueToKey.");
        }
        while (cursor.MoveNext())
        {
            rows++;
            if (read() is { } category)
                counts[category] = counts.GetValueOrDefault(category) + 1;
            else
                missing++;
        }
        long present = Math.Max(1, rows - missing);
        return new CategoryProfile
        {
            Name = name,
            MissingRate = rows == 0 ? 0 : (double)missing / rows,
            Frequencies = counts.ToDictionary(p => p.Key, p => (double)p.Value / present),
        };
    }
}
