using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Core.Data;

/// <summary>Per-row readers of scalar label columns as doubles (shared by the class and numeric label columns).</summary>
internal static class LabelReaders
{
    /// <summary>Whether <see cref="Number"/> reads the type: a scalar number, key or Boolean.</summary>
    public static bool CanRead(DataViewType type) => type is NumberDataViewType or KeyDataViewType or BooleanDataViewType;

    /// <summary>Any scalar number as a double; Boolean as 0/1; a key as its raw index (0 = missing).</summary>
    public static Func<double> Number(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(bool)) return Read<bool>(row, column, v => v ? 1 : 0);
        if (raw == typeof(float)) return Read<float>(row, column, v => v);
        if (raw == typeof(double)) return Read<double>(row, column, v => v);
        if (raw == typeof(int)) return Read<int>(row, column, v => v);
        if (raw == typeof(long)) return Read<long>(row, column, v => v);
        if (raw == typeof(uint)) return Read<uint>(row, column, v => v);
        if (raw == typeof(ulong)) return Read<ulong>(row, column, v => v);
        if (raw == typeof(short)) return Read<short>(row, column, v => v);
        if (raw == typeof(ushort)) return Read<ushort>(row, column, v => v);
        if (raw == typeof(byte)) return Read<byte>(row, column, v => v);
        if (raw == typeof(sbyte)) return Read<sbyte>(row, column, v => v);
        throw new NotSupportedException($"Column '{column.Name}' has type {column.Type}, which is not a number.");
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
