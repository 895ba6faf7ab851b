using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Max or average pooling over (height, width) windows with Keras' "same" semantics: max pooling pads with −∞ (a padded
/// value is never the maximum); average pooling divides each window's sum by its number of real pixels (TensorFlow),
/// not by the window size. 1-D pooling runs it on (N, C, 1, L).
/// </summary>
internal sealed class PoolModule : nn.Module<Tensor, Tensor>
{
    private readonly PoolKind _kind;
    private readonly long[] _window, _stride;
    private readonly long[]? _pad;

    /// <param name="kind">Max or average.</param>
    /// <param name="window">(height, width) of the window.</param>
    /// <param name="stride">(height, width) steps.</param>
    /// <param name="pad">(left, right, top, bottom) padding, or null.</param>
    public PoolModule(PoolKind kind, long[] window, long[] stride, long[]? pad) : base(nameof(PoolModule))
    {
        _kind = kind;
        _window = window;
        _stride = stride;
        _pad = pad;
    }

    public override Tensor forward(Tensor input)
    {
        if (_kind == PoolKind.Max)
        {
            var padded = _pad is null ? input : nn.functional.pad(input, _pad, PaddingModes.Constant, double.NegativeInfinity);
            return nn.functional.max_pool2d(padded, _window, _stride, [0, 0], [1, 1], false);
        }
        if (_pad is null)
            return nn.functional.avg_pool2d(input, _window, _stride, [0, 0], false, true, null);
        var sums = nn.functional.avg_pool2d(nn.functional.pad(input, _pad, PaddingModes.Constant, 0), _window, _stride, [0, 0], false, true, null);
        var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
        var counts = nn.functional.avg_pool2d(nn.functional.pad(ones, _pad, PaddingModes.Constant, 0), _window, _stride, [0, 0], false, true, null);
        return sums / counts;
    }
}
