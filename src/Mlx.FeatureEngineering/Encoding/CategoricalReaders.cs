using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;

namespace Mlx.FeatureEngineering.Encoding;

/// <summary>Per-row readers of numeric category columns as doubles (text and keys use <see cref="DenseRowReader"/> directly).</summary>
internal static class CategoricalReaders
{
    /// <summary>Reads a numeric column (Single, Double, Int32, Int64) as doubles.</summary>
    public static Func<ReadOnlySpan<double>> Numbers(DataViewRow row, DataViewSchema.Column column, DataViewType itemType, bool isVector, int size)
    {
        if (itemType == NumberDataViewType.Double)
            return DenseRowReader.Create<double>(row, column, isVector, size);
        var converted = new double[size];
        if (itemType == NumberDataViewType.Single)
            return Convert(DenseRowReader.Create<float>(row, column, isVector, size), converted, v => v);
        if (itemType == NumberDataViewType.Int32)
            return Convert(DenseRowReader.Create<int>(row, column, isVector, size), converted, v => v);
        return Convert(DenseRowReader.Create<long>(row, column, isVector, size), converted, v => v);
    }

    private static Func<ReadOnlySpan<double>> Convert<T>(Func<ReadOnlySpan<T>> read, double[] converted, Func<T, double> convert) => () =>
    {
        var values = read();
        for (int j = 0; j < values.Length; j++)
            converted[j] = convert(values[j]);
        return converted;
    };
}
