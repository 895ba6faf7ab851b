using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Keras' "same" zero padding (the odd row/column/position at the bottom/right/end), then an unpadded convolution:
/// PyTorch's own <c>padding=</c> is symmetric. Serves Conv1D, Conv2D and SeparableConv2D.
/// </summary>
internal sealed class PaddedConvolution : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the field's name is the parameters' prefix (conv.weight, conv.bias)
    private readonly nn.Module<Tensor, Tensor> conv;
#pragma warning restore IDE1006
    private readonly long[]? _pad;

    /// <param name="convolution">The unpadded convolution (or stack of them).</param>
    /// <param name="pad">(left, right[, top, bottom]) zeros to add first, or null.</param>
    public PaddedConvolution(nn.Module<Tensor, Tensor> convolution, long[]? pad) : base(nameof(PaddedConvolution))
    {
        conv = convolution;
        _pad = pad;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        conv.forward(_pad is null ? input : nn.functional.pad(input, _pad, PaddingModes.Constant, 0));
}
