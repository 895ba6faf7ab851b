using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Checks that a series' timestamps go forward by one constant step (the first interval), so that "row i − k" means
/// "k steps earlier" in every window. The error names the row, the two times and the fix.
/// </summary>
internal static class TimeSeriesSpacing
{
    public static void Check(IDataView data, string timeColumn)
    {
        var column = data.Schema.GetColumnOrNull(timeColumn) ?? throw MlxError.MissingColumn(timeColumn, data.Schema.Select(c => c.Name), "timeColumn");
        using var cursor = data.GetRowCursor([column]);
        Func<double> read;
        Func<double, string> show;
        if (column.Type is DateTimeDataViewType)
        {
            var getter = cursor.GetGetter<DateTime>(column);
            DateTime value = default;
            read = () => { getter(ref value); return value.Ticks; };
            show = ticks => new DateTime((long)ticks).ToString("u");
        }
        else if (column.Type is NumberDataViewType number && number != NumberDataViewType.UInt64)
        {
            var convert = typeof(TimeSeriesSpacing).GetMethod(nameof(Reader), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(number.RawType);
            read = (Func<double>)convert.Invoke(null, [cursor, column])!;
            show = v => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            throw MlxError.WrongColumnType(timeColumn, "DateTime or a number", $"{column.Type}", "Parse the timestamps when loading (DataKind.DateTime) or give a numeric time index.");
        }
        double previous = double.NaN, interval = double.NaN;
        long row = 0;
        while (cursor.MoveNext())
        {
            double time = read();
            if (!double.IsFinite(time))
                throw MlxError.BadValue(MlxError.Where(timeColumn, row: row), time, "a timestamp is missing", "Drop or fill the row before making windows.");
            if (row == 1)
            {
                interval = time - previous;
                if (!(interval > 0))
                    throw MlxError.BadValue(MlxError.Where(timeColumn, row: row), time, $"the series does not move forward ({show(previous)} then {show(time)})", "Sort the rows by time first.");
            }
            else if (row > 1 && time - previous != interval)
            {
                string step = column.Type is DateTimeDataViewType ? TimeSpan.FromTicks((long)interval).ToString() : show(interval);
                string problem = time <= previous
                    ? $"the rows are out of order or repeated ({show(previous)} then {show(time)})"
                    : $"it is {(time - previous) / interval:G4} steps after the previous row ({show(previous)} → {show(time)}) where the series steps by {step}";
                throw new InvalidOperationException($"{MlxError.Where(timeColumn, row: row)}: {problem}: a gap or duplicate shifts every later window. " +
                    "Insert the missing time steps (filling their values, e.g. forward or by interpolation), drop duplicates, or split the series where it breaks.");
            }
            previous = time;
            row++;
        }
    }

    private static Func<double> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column) where T : struct, System.Numerics.INumberBase<T>
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default;
        return () => { getter(ref value); return double.CreateChecked(value); };
    }
}
