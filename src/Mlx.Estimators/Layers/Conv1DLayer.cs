using TorchSharp;
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
        LayerBuild.ZeroBias(conv.bias);
        build.Add("conv1d", new PaddedConvolution(conv, PaddingMath.Pads1D(Padding, length, KernelSize, Stride)));
        build.Penalise(conv.weight!, Regularizer);
        build.AddActivation(Activation);
        build.Shape = [Filters, outLength];
    }

    internal override void Export(OnnxExport export)
    {
        var conv = export.Take();
        int length = export.Shape[1];
        var parameters = conv.parameters().ToArray();
        var inputs = parameters.Select((p, i) => export.Initializer(i == 0 ? "weight" : "bias", p)).ToArray();
        export.Apply("Conv", inputs, OnnxExport.Ints("kernel_shape", KernelSize), OnnxExport.Ints("strides", Stride),
            OnnxExport.Ints("pads", OnnxExport.OnnxPads(PaddingMath.Pads1D(Padding, length, KernelSize, Stride), 1)));
        export.Activation(Activation);
        export.Shape = [Filters, PaddingMath.Output(length, KernelSize, Stride, Padding)];
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
        Regularizer.Write(w, Regularizer);
    }

    internal static Conv1DLayer Read(BinaryReader r)
    {
        int filters = r.ReadInt32(), kernel = r.ReadInt32();
        var activation = (Activation)r.ReadByte();
        int stride = r.ReadInt32();
        var padding = (Padding)r.ReadByte();
        bool bias = r.ReadBoolean();
        return new Conv1DLayer(filters, kernel, activation, stride, padding, Regularizer.Read(r), bias);
    }
}
