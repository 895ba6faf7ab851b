using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>Max or average pooling over square windows; see <see cref="Layer.MaxPool2D"/> and <see cref="Layer.AveragePool2D"/>.</summary>
public sealed record Pool2DLayer(PoolKind Kind, int PoolSize, int Stride, Padding Padding) : Layer
{
    internal const byte SavedKind = 5;

    /// <inheritdoc/>
    public override string Name => Kind == PoolKind.Max ? "MaxPooling2D" : "AveragePooling2D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 3)
            throw build.ShapeError(this, $"{Name} takes (channels, height, width) examples, not a {build.Shape.Length}-D tensor", "Use it after Conv2D layers, before Flatten.");
        int channels = build.Shape[0], height = build.Shape[1], width = build.Shape[2];
        int outHeight = PaddingMath.Output(height, PoolSize, Stride, Padding), outWidth = PaddingMath.Output(width, PoolSize, Stride, Padding);
        if (outHeight < 1 || outWidth < 1)
            throw build.ShapeError(this, $"its {PoolSize}x{PoolSize} window is larger than the {height}x{width} input", "Use a smaller pool size, Padding.Same, or fewer pooling layers.");
        long[]? pad = null;
        if (Padding == Padding.Same)
        {
            var (top, bottom) = PaddingMath.Same(height, PoolSize, Stride);
            var (left, right) = PaddingMath.Same(width, PoolSize, Stride);
            if (top + bottom + left + right > 0)
                pad = [left, right, top, bottom];
        }
        build.Add(Kind == PoolKind.Max ? "maxpool" : "avgpool", new Pool2d(Kind, PoolSize, Stride, pad));
        build.Shape = [channels, outHeight, outWidth];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(SavedKind);
        w.Write((byte)Kind);
        w.Write(PoolSize);
        w.Write(Stride);
        w.Write((byte)Padding);
    }

    internal static Pool2DLayer Read(BinaryReader r) => new((PoolKind)r.ReadByte(), r.ReadInt32(), r.ReadInt32(), (Padding)r.ReadByte());

    /// <summary>
    /// Pooling with Keras' "same" semantics: max pooling pads with −∞ (a padded value is never the maximum); average
    /// pooling divides each window's sum by its number of real pixels (TensorFlow), not by the window size.
    /// </summary>
    private sealed class Pool2d : nn.Module<Tensor, Tensor>
    {
        private readonly PoolKind _kind;
        private readonly long[] _window, _stride;
        private readonly long[]? _pad;

        public Pool2d(PoolKind kind, int size, int stride, long[]? pad) : base(nameof(Pool2d))
        {
            _kind = kind;
            _window = [size, size];
            _stride = [stride, stride];
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
}
