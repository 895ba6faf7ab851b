using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>A 2-D convolution, channels first; see <see cref="Layer.Conv2D(int, int, Activation, int, Padding, Regularizer?, bool)"/>.</summary>
public sealed record Conv2DLayer(int Filters, int KernelHeight, int KernelWidth, Activation Activation, int Stride, Padding Padding,
    Regularizer? Regularizer, bool UseBias) : Layer
{
    internal const byte Kind = 4;

    /// <inheritdoc/>
    public override string Name => "Conv2D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 3)
        {
            throw build.ShapeError(this, $"Conv2D takes (channels, height, width) examples, not a {build.Shape.Length}-D tensor",
                build.Shape.Length == 1 ? "Set NeuralNetworkOptions.InputShape (e.g. new[] { 1, 28, 28 }) so the feature vector is read as an image." : "Check the layers before it.");
        }
        int channels = build.Shape[0], height = build.Shape[1], width = build.Shape[2];
        int outHeight = PaddingMath.Output(height, KernelHeight, Stride, Padding), outWidth = PaddingMath.Output(width, KernelWidth, Stride, Padding);
        if (outHeight < 1 || outWidth < 1)
        {
            throw build.ShapeError(this, $"its {KernelHeight}x{KernelWidth} kernel is larger than the {height}x{width} input",
                "Use a smaller kernel, Padding.Same, or fewer pooling layers before it.");
        }
        var conv = nn.Conv2d(channels, Filters, (KernelHeight, KernelWidth), stride: (Stride, Stride), padding: (0, 0), bias: UseBias);
        // Keras' glorot_uniform over the receptive field: fan_in = channels·kh·kw, fan_out = filters·kh·kw.
        build.GlorotUniform(conv.weight!, channels * KernelHeight * KernelWidth, Filters * KernelHeight * KernelWidth);
        LayerBuild.ZeroBias(conv.bias);
        build.Add("conv2d", new PaddedConvolution(conv, PaddingMath.Pads2D(Padding, height, width, KernelHeight, KernelWidth, Stride)));
        build.Penalise(conv.weight!, Regularizer);
        build.AddActivation(Activation);
        build.Shape = [Filters, outHeight, outWidth];
    }

    internal override void Export(OnnxExport export)
    {
        var conv = export.Take();
        int height = export.Shape[1], width = export.Shape[2];
        var parameters = conv.parameters().ToArray();
        var inputs = parameters.Select((p, i) => export.Initializer(i == 0 ? "weight" : "bias", p)).ToArray();
        export.Apply("Conv", inputs, OnnxExport.Ints("kernel_shape", KernelHeight, KernelWidth), OnnxExport.Ints("strides", Stride, Stride),
            OnnxExport.Ints("pads", OnnxExport.OnnxPads(PaddingMath.Pads2D(Padding, height, width, KernelHeight, KernelWidth, Stride), 2)));
        export.Activation(Activation);
        export.Shape = [Filters, PaddingMath.Output(height, KernelHeight, Stride, Padding), PaddingMath.Output(width, KernelWidth, Stride, Padding)];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Filters);
        w.Write(KernelHeight);
        w.Write(KernelWidth);
        w.Write((byte)Activation);
        w.Write(Stride);
        w.Write((byte)Padding);
        w.Write(UseBias);
        Regularizer.Write(w, Regularizer);
    }

    internal static Conv2DLayer Read(BinaryReader r)
    {
        int filters = r.ReadInt32(), kh = r.ReadInt32(), kw = r.ReadInt32();
        var activation = (Activation)r.ReadByte();
        int stride = r.ReadInt32();
        var padding = (Padding)r.ReadByte();
        bool bias = r.ReadBoolean();
        return new Conv2DLayer(filters, kh, kw, activation, stride, padding, Regularizer.Read(r), bias);
    }
}
