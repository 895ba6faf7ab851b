using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// A 1-D convolution over (channels, length) examples (Keras <c>Conv1D</c>, channels first): the book's convnets for
/// text and time series. See <see cref="Layer.Conv1D"/>.
/// </summary>
public sealed record Conv1DLayer(int Filters, int KernelSize, Activation Activation, int Stride, Padding Padding, Regularizer? Regularizer, bool UseBias) : Layer
{
    internal const byte Kind = 10;

    /// <inheritdoc/>
    public override string Name => "Conv1D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 2)
        {
            throw build.ShapeError(this, $"Conv1D takes (channels, length) examples, not a {build.Shape.Length}-D tensor",
                build.Shape.Length == 1 ? "Set NeuralNetworkOptions.InputShape (e.g. new[] { 1, 500 } for a series of 500 values)." : "Check the layers before it.");
        }
        int channels = build.Shape[0], length = build.Shape[1];
        int outLength = PaddingMath.Output(length, KernelSize, Stride, Padding);
        if (outLength < 1)
            throw build.ShapeError(this, $"its kernel of {KernelSize} is longer than the input of {length}", "Use a smaller kernel, Padding.Same, or fewer pooling layers before it.");
        var conv = nn.Conv1d(channels, Filters, KernelSize, stride: Stride, padding: 0L, bias: UseBias);
        build.GlorotUniform(conv.weight!, channels * KernelSize, Filters * KernelSize);
        if (conv.bias is { } bias)
        {
            using var _ = no_grad();
            nn.init.zeros_(bias);
        }
        long[]? pad = null;
        if (Padding == Padding.Same)
        {
            var (left, right) = PaddingMath.Same(length, KernelSize, Stride);
            if (left + right > 0)
                pad = [left, right];
        }
        build.Add("conv1d", new PaddedConv1d(conv, pad));
        build.Penalise(conv.weight!, Regularizer);
        build.AddActivation(Activation);
        build.Shape = [Filters, outLength];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Filters);
        w.Write(KernelSize);
        w.Write((byte)Activation);
        w.Write(Stride);
        w.Write((byte)Padding);
        w.Write(UseBias);
        w.Write(Regularizer?.L1 ?? 0);
        w.Write(Regularizer?.L2 ?? 0);
    }

    internal static Conv1DLayer Read(BinaryReader r)
    {
        int filters = r.ReadInt32(), kernel = r.ReadInt32();
        var activation = (Activation)r.ReadByte();
        int stride = r.ReadInt32();
        var padding = (Padding)r.ReadByte();
        bool bias = r.ReadBoolean();
        double l1 = r.ReadDouble(), l2 = r.ReadDouble();
        return new Conv1DLayer(filters, kernel, activation, stride, padding, l1 > 0 || l2 > 0 ? new Regularizer(l1, l2) : null, bias);
    }

    /// <summary>Keras' "same" padding (the odd position at the end), then an unpadded convolution.</summary>
    private sealed class PaddedConv1d : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // the field's name is the parameters' prefix (conv.weight, conv.bias)
        private readonly Conv1d conv;
#pragma warning restore IDE1006
        private readonly long[]? _pad;

        public PaddedConv1d(Conv1d convolution, long[]? pad) : base(nameof(PaddedConv1d))
        {
            conv = convolution;
            _pad = pad;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) =>
            conv.forward(_pad is null ? input : nn.functional.pad(input, _pad, PaddingModes.Constant, 0));
    }
}
