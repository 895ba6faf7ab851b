using System.Numerics.Tensors;

namespace Mlx.Core.Numerics;

/// <summary>Where a row of values stops being finite: the check every reader makes before it trusts a row.</summary>
internal static class NonFinite
{
    /// <summary>The first slot of <paramref name="values"/> that is NaN or infinite, or null when every value is finite (one SIMD pass in that case).</summary>
    public static int? First(ReadOnlySpan<float> values)
    {
        if (TensorPrimitives.IsFiniteAll(values))
            return null;
        int j = 0;
        while (float.IsFinite(values[j]))
            j++;
        return j;
    }
}
