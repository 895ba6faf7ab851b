using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Core.Data;

/// <summary>Per-row readers that see a scalar or vector column as a dense span (a scalar is a span of one), allocation-free per row.</summary>
public static class DenseRowReader
{
    /// <summary>Reads a scalar or (known-size) vector column of <typeparamref name="T"/>; sparse vectors are densified.</summary>
    public static Func<ReadOnlySpan<T>> Create<T>(DataViewRow row, DataViewSchema.Column column, bool isVector, int size)
    {
        if (!isVector)
        {
            var getter = row.GetGetter<T>(column);
            var one = new T[1];
            return [MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
            {
                getter(ref one[0]);
                return one;
            };
        }
        var vectorGetter = row.GetGetter<VBuffer<T>>(column);
        var buffer = default(VBuffer<T>);
        var dense = new T[size];
        return [MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
        {
            vectorGetter(ref buffer);
            if (buffer.IsDense)
                return buffer.GetValues();
            buffer.CopyTo(dense);
            return dense;
        };
    }
}
