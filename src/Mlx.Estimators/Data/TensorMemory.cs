using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Spans over a contiguous CPU tensor's own storage, for reading and writing many values at once: TorchSharp's
/// <c>TensorAccessor</c> copies element by element (4 s per GB, measured) and each libtorch op on a tiny tensor
/// costs a native call.
/// </summary>
internal static class TensorMemory
{
    /// <summary>The float32 values of <paramref name="tensor"/>.</summary>
    public static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    /// <summary>The int64 values of <paramref name="tensor"/>.</summary>
    public static Span<long> Longs(Tensor tensor) => MemoryMarshal.Cast<byte, long>(tensor.bytes);

    /// <summary>Whether every tensor is a contiguous float32 CPU tensor (so <see cref="Floats"/> sees its values in order).</summary>
    public static bool AreContiguousFloats(params Tensor[] tensors)
    {
        foreach (var t in tensors)
        {
            if (t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous())
                return false;
        }
        return true;
    }
}
