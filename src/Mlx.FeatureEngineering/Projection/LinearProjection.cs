using System.Numerics.Tensors;
using Microsoft.ML.Internal.Utilities;

namespace Mlx.FeatureEngineering.Projection;

/// <summary>
/// y_k = ((x − center)·axis_k)·scale_k: the row map shared by PCA and LDA, computed in double.
/// </summary>
internal sealed class LinearProjection
{
    public LinearProjection(double[] center, double[][] axes, double[]? scales = null)
    {
        Center = center;
        Axes = axes;
        Scales = scales;
    }

    /// <summary>Subtracted from x before projecting (zeros for no centring).</summary>
    public double[] Center { get; }

    /// <summary>One axis (length = input slots) per output slot.</summary>
    public double[][] Axes { get; }

    /// <summary>Optional factor per output slot (PCA whitening).</summary>
    public double[]? Scales { get; }

    /// <summary>Projects one row; <paramref name="scratch"/> has the input's length.</summary>
    public void Map(ReadOnlySpan<float> source, Span<float> destination, Span<double> scratch)
    {
        for (int j = 0; j < source.Length; j++)
            scratch[j] = source[j] - Center[j];
        for (int k = 0; k < Axes.Length; k++)
        {
            double y = TensorPrimitives.Dot<double>(scratch, Axes[k]);
            destination[k] = (float)(Scales is null ? y : y * Scales[k]);
        }
    }

    /// <summary>Writes center, axes and scales (count-prefixed).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Center.Length);
        writer.Write(Axes.Length);
        writer.Write(Scales != null);
        foreach (var array in new[] { Center }.Concat(Axes).Concat(Scales is null ? [] : new[] { Scales }))
            writer.WriteDoublesNoCount(array);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    /// <summary>Throws a damaged-model error naming <paramref name="component"/> when a loaded parameter is not finite.</summary>
    public void CheckFinite(string component)
    {
        Mlx.Core.Errors.MlxError.CheckFinite(component, "projection centre", Center);
        for (int a = 0; a < Axes.Length; a++)
            Mlx.Core.Errors.MlxError.CheckFinite(component, $"projection axis {a}", Axes[a]);
        if (Scales != null)
            Mlx.Core.Errors.MlxError.CheckFinite(component, "whitening scales", Scales);
    }

    /// <summary>Reads a projection saved by <c>Save</c>, every size checked against the bytes the state holds.</summary>
    public static LinearProjection Load(Mlx.Core.Persistence.SavedState state)
    {
        var reader = state.Reader;
        int d = reader.ReadInt32(), k = reader.ReadInt32();
        bool scaled = reader.ReadBoolean();
        if (d <= 0 || k <= 0)
            throw Mlx.Core.Errors.MlxError.DamagedModel(state.Component, "projection", $"{k} axes of length {d}");
        state.CheckCount((long)d * (k + 1), "projection", sizeof(double));
        var center = state.ReadDoubles(d, "projection center");
        var axes = Enumerable.Range(0, k).Select(a => state.ReadDoubles(d, $"projection axis {a}")).ToArray();
        return new LinearProjection(center, axes, scaled ? state.ReadDoubles(k, "whitening scales") : null);
    }
}
