using Microsoft.ML;

namespace Mlx.Core.Data;

/// <summary>How many rows a data view has: its own count when it knows it, else one pass with no column active.</summary>
public static class RowCount
{
    /// <summary>The rows of <paramref name="data"/>.</summary>
    public static long Of(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.GetRowCount() is long known)
            return known;
        long rows = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
            rows++;
        return rows;
    }
}
