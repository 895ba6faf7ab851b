using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// A depthwise separable convolution (Keras <c>SeparableConv2D</c>, depth multiplier 1): a k×k convolution of each
/// channel on its own, then a 1×1 convolution mixing channels (the Xception block of the book). Far fewer weights than
/// a full Conv2D: C·k² + C·F (+ F) instead of C·F·k² (+ F). See <see cref="Layer.SeparableConv2D"/>.
/// </summary>
public sealed record SeparableConv2DLayer(int Filters, int KernelSize, Activation Activation, int Stride, Padding Padding, bool UseBias) : Layer
{
    internal const byte Kind = 9;

    /// <inheritdoc/>
    public override string Name => "SeparableConv2D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 3)
            throw build.ShapeError(this, $"SeparableConv2D takes (channels, height, width) examples, not a {build.Shape.Length}-D tensor", "Set NeuralNetworkOptions.InputShape or check the layers before it.");
        int channels = build.Shape[0], height = build.Shape[1], width = build.Shape[2];
        int outHeight = PaddingMath.Output(height, KernelSize, Stride, Padding), outWidth = PaddingMath.Output(width, KernelSize, Stride, Padding);
        if (outHeight < 1 || outWidth < 1)
            throw build.ShapeError(this, $"its {KernelSize}x{KernelSize} kernel is larger than the {height}x{width} input", "Use a smaller kernel or Padding.Same.");
        var depthwise = nn.Conv2d(channels, channels, (KernelSize, KernelSize), stride: (Stride, Stride), padding: (0, 0), groups: channels, bias: false);
        var pointwise = nn.Conv2d(channels, Filters, (1, 1), bias: UseBias);
        // Keras' glorot_uniform for both kernels: depthwise fan_in = k², fan_out = k² (one channel in, one out);
        // pointwise fan_in = C, fan_out = F.
        build.GlorotUniform(depthwise.weight!, KernelSize * KernelSize, KernelSize * KernelSize);
        build.GlorotUniform(pointwise.weight!, channels, Filters);
        LayerBuild.ZeroBias(pointwise.bias);
        // depthwise then pointwise as one Sequential: parameters conv.0.weight (depthwise), conv.1.weight and conv.1.bias.
        build.Add("separableconv2d", new PaddedConvolution(nn.Sequential(depthwise, pointwise), PaddingMath.Pads2D(Padding, height, width, KernelSize, KernelSize, Stride)));
        build.AddActivation(Activation);
        build.Shape = [Filters, outHeight, outWidth];
    }

    // Depthwise (a grouped convolution with the layer's padding) then pointwise (1×1), as two ONNX Conv nodes.
    internal override void Export(OnnxExport export)
    {
        var conv = export.Take();
        int channels = export.Shape[0], height = export.Shape[1], width = export.Shape[2];
        var parameters = conv.parameters().ToArray();
        export.Apply("Conv", [export.Initializer("depthwise_weight", parameters[0])], OnnxExport.Ints("kernel_shape", KernelSize, KernelSize),
            OnnxExport.Ints("strides", Stride, Stride), OnnxExport.Int("group", channels),
            OnnxExport.Ints("pads", OnnxExport.OnnxPads(PaddingMath.Pads2D(Padding, height, width, KernelSize, KernelSize, Stride), 2)));
        var pointwise = parameters.Skip(1).Select((p, i) => export.Initializer(i == 0 ? "pointwise_weight" : "pointwise_bias", p)).ToArray();
        export.Apply("Conv", pointwise, OnnxExport.Ints("kernel_shape", 1, 1));
        export.Activation(Activation);
        export.Shape = [Filters, PaddingMath.Output(height, KernelSize, Stride, Padding), PaddingMath.Output(width, KernelSize, Stride, Padding)];
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
    }

    internal static SeparableConv2DLayer Read(BinaryReader r) =>
        new(r.ReadInt32(), r.ReadInt32(), (Activation)r.ReadByte(), r.ReadInt32(), (Padding)r.ReadByte(), r.ReadBoolean());
}
