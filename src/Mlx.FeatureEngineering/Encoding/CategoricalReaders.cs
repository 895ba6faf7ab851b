using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering.Encoding;

/// <summary>Dense per-row readers of categorical columns (a scalar is a span of one), allocation-free per row.</summary>
internal static class CategoricalReaders
{
    /// <summary>Reads a scalar or vector column of T.</summary>
    public static Func<ReadOnlySpan<T>> Dense<T>(DataViewRow row, DataViewSchema.Column column, bool isVector, int size)
    {
        if (!isVector)
        {
            var getter = row.GetGetter<T>(column);
            var one = new T[1];
            return () =>
            {
                getter(ref one[0]);
                return one;
            };
        }
        var vectorGetter = row.GetGetter<VBuffer<T>>(column);
        var buffer = default(VBuffer<T>);
        var dense = new T[size];
        return () =>
        {
            vectorGetter(ref buffer);
            if (buffer.IsDense)
                return buffer.GetValues();
            buffer.CopyTo(dense);
            return dense;
        };
    }

    /// <summary>Reads a numeric column (Single, Double, Int32, Int64) as doubles.</summary>
    public static Func<ReadOnlySpan<double>> Numbers(DataViewRow row, DataViewSchema.Column column, DataViewType itemType, bool isVector, int size)
    {
        if (itemType == NumberDataViewType.Double)
            return Dense<double>(row, column, isVector, size);
        var converted = new double[size];
        if (itemType == NumberDataViewType.Single)
            return Convert(Dense<float>(row, column, isVector, size), converted, v => v);
        if (itemType == NumberDataViewType.Int32)
            return Convert(Dense<int>(row, column, isVector, size), converted, v => v);
        return Convert(Dense<long>(row, column, isVector, size), converted, v => v);
    }

    private static Func<ReadOnlySpan<double>> Convert<T>(Func<ReadOnlySpan<T>> read, double[] converted, Func<T, double> convert) => () =>
    {
        var values = read();
        for (int j = 0; j < values.Length; j++)
            converted[j] = convert(values[j]);
        return converted;
    };
}
