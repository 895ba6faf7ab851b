using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Core.Data;

/// <summary>Per-row readers of scalar label columns as doubles (shared by the class and numeric label columns).</summary>
internal static class LabelReaders
{
    /// <summary>Single, Double, Int32, Int64 or UInt32 as a double; Boolean as 0/1.</summary>
    public static Func<double> Number(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type == BooleanDataViewType.Instance)
            return Read<bool>(row, column, v => v ? 1 : 0);
        if (column.Type == NumberDataViewType.Single)
            return Read<float>(row, column, v => v);
        if (column.Type == NumberDataViewType.Double)
            return Read<double>(row, column, v => v);
        if (column.Type == NumberDataViewType.Int32)
            return Read<int>(row, column, v => v);
        if (column.Type == NumberDataViewType.Int64)
            return Read<long>(row, column, v => v);
        return Read<uint>(row, column, v => v);
    }

    private static Func<double> Read<T>(DataViewRow row, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
