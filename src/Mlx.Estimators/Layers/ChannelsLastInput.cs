using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// The network's first module for image input: views each flat feature vector as (channels, height, width), as
/// <c>nn.Unflatten</c> would, but returns the batch in libtorch's channels-last memory format (NHWC strides on an NCHW
/// tensor). Every later operation keeps that format, so oneDNN runs its channels-last convolutions with no layout
/// reorders around each call and max pooling uses libtorch's vectorised channels-last kernel instead of the scalar NCHW
/// one (the book's MNIST convnet: 1.2–1.4× more samples per second on 2 cores, measured). The values and their logical
/// order are unchanged; only the memory layout differs. One channel needs no copy: the planar rows already have
/// channels-last strides.
/// </summary>
internal sealed class ChannelsLastInput : nn.Module<Tensor, Tensor>
{
    private readonly long _channels, _height, _width;

    public ChannelsLastInput(int channels, int height, int width) : base(nameof(ChannelsLastInput))
    {
        (_channels, _height, _width) = (channels, height, width);
    }

    public override Tensor forward(Tensor flat)
    {
        long rows = flat.shape[0], plane = _height * _width;
        if (_channels == 1 && flat.is_contiguous())
            return flat.as_strided([rows, 1, _height, _width], [plane, 1, _width, 1], flat.storage_offset());
        using var nchw = flat.reshape(rows, _channels, _height, _width);
        return Copy(nchw);
    }

    /// <summary>
    /// An (N, C, H, W) batch in channels-last layout: the tensor itself when it already is, or has one channel (its
    /// strides are channels-last already), else a channels-last copy. Shared with Mlx.Vision's imported graphs.
    /// </summary>
    internal static Tensor Of(Tensor nchw) => nchw.shape[1] == 1 || nchw.stride(1) == 1 ? nchw : Copy(nchw);

    private static Tensor Copy(Tensor nchw)
    {
        using var nhwc = nchw.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }
}
