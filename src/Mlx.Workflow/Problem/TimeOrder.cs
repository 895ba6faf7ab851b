using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;

namespace Mlx.Workflow;

/// <summary>Rows in the order of a timestamp column (text parsed with the invariant culture, or DateTime), for the time-ordered split and the last-value baseline.</summary>
internal static class TimeOrder
{
    /// <summary>The given rows sorted by time (ties and missing times keep their row order; missing times come first).</summary>
    public static int[] Sort(IDataView data, string column, int[] rows)
    {
        var ticks = Ticks(data, column);
        return rows.OrderBy(r => ticks[r]).ThenBy(r => r).ToArray();
    }

    /// <summary>Each row's predecessor in the order (−1 for the first).</summary>
    public static int[] Previous(int[] order, int rows)
    {
        var previous = Enumerable.Repeat(-1, rows).ToArray();
        for (int i = 1; i < order.Length; i++)
            previous[order[i]] = order[i - 1];
        return previous;
    }

    /// <summary>Each row's time in ticks (long.MinValue when missing or unparsable).</summary>
    private static List<long> Ticks(IDataView data, string name)
    {
        var column = data.Schema[name];
        var ticks = new List<long>();
        using var cursor = data.GetRowCursor(new[] { column });
        if (column.Type is TextDataViewType)
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext())
            {
                get(ref value);
                ticks.Add(DatePartsTransformer.Parse(value.Span) is { } t ? t.Ticks : long.MinValue);
            }
        }
        else if (column.Type is DateTimeOffsetDataViewType)
        {
            var get = cursor.GetGetter<DateTimeOffset>(column);
            var value = default(DateTimeOffset);
            while (cursor.MoveNext())
            {
                get(ref value);
                ticks.Add(value.UtcTicks);
            }
        }
        else
        {
            var get = cursor.GetGetter<DateTime>(column);
            var value = default(DateTime);
            while (cursor.MoveNext())
            {
                get(ref value);
                ticks.Add(value.Ticks);
            }
        }
        return ticks;
    }
}
