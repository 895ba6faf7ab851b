using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>
/// The padding of a convolution or pooling node: explicit <c>pads</c> (all begins, then all ends) or <c>auto_pad</c>
/// (SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the beginning, VALID none). TorchSharp's operators pad
/// symmetrically, so uneven padding is applied first with <see cref="Apply"/>.
/// </summary>
internal readonly record struct OnnxPadding(long[] Begin, long[] End)
{
    public bool IsSymmetric => Begin.SequenceEqual(End);

    public bool IsZero => Begin.All(p => p == 0) && End.All(p => p == 0);

    public static OnnxPadding Of(OnnxNode node, long[] spatial, long[] kernel, long[] strides, long[] dilations)
    {
        int rank = spatial.Length;
        string auto = node.Text("auto_pad", "NOTSET");
        var begin = new long[rank];
        var end = new long[rank];
        switch (auto)
        {
            case "NOTSET":
                var pads = node.Ints("pads") ?? new long[2 * rank];
                if (pads.Length != 2 * rank)
                    throw node.Unsupported($"pads has {pads.Length} values for {rank} spatial axes (expected {2 * rank}).");
                Array.Copy(pads, 0, begin, 0, rank);
                Array.Copy(pads, rank, end, 0, rank);
                break;
            case "VALID":
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (int i = 0; i < rank; i++)
                {
                    long output = (spatial[i] + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - spatial[i]);
                    begin[i] = auto == "SAME_UPPER" ? total / 2 : total - total / 2;
                    end[i] = total - begin[i];
                }
                break;
            default:
                throw node.Unsupported($"auto_pad '{auto}' is not an ONNX padding mode.");
        }
        return new OnnxPadding(begin, end);
    }

    /// <summary>
    /// This padding, or the symmetric padding by <see cref="Begin"/> when that gives the same windows: every end pad at
    /// most its begin pad and the same output size (floor mode) — the windows then start at the same places, and the end
    /// pixels the uneven padding adds are never read. Exporters write such paddings (CNTK's ResNet18: pads 3,3,2,2 on its
    /// 7×7/2 stem, 1,1,0,0 on its stride-2 convolutions and max pool); the symmetric form needs no padded copy of the input.
    /// </summary>
    public OnnxPadding Simplified(long[] spatial, long[] kernel, long[] strides, long[] dilations)
    {
        for (int i = 0; i < Begin.Length; i++)
        {
            long span = dilations[i] * (kernel[i] - 1) + 1;
            if (End[i] > Begin[i] || (spatial[i] + Begin[i] + End[i] - span) / strides[i] != (spatial[i] + 2 * Begin[i] - span) / strides[i])
                return this;
        }
        return new OnnxPadding(Begin, Begin);
    }

    /// <summary>Pads the spatial axes of <paramref name="x"/> (N, C, spatial...) by this padding, filled with <paramref name="value"/>.</summary>
    public Tensor Apply(Tensor x, double value)
    {
        // F.pad takes (last axis begin, last axis end, previous axis begin, ...).
        var torchPads = new long[2 * Begin.Length];
        for (int i = 0; i < Begin.Length; i++)
        {
            int axis = Begin.Length - 1 - i;
            torchPads[2 * i] = Begin[axis];
            torchPads[2 * i + 1] = End[axis];
        }
        return nn.functional.pad(x, torchPads, PaddingModes.Constant, value);
    }
}
