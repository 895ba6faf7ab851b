using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Batch normalization over the channel axis (Keras <c>BatchNormalization</c>, channels first): in training each batch
/// is normalised with its own mean and (biased) variance and the moving statistics are updated; in inference the
/// moving statistics are used. See <see cref="Layer.BatchNormalization"/>.
/// </summary>
public sealed record BatchNormalizationLayer(double Momentum, double Epsilon) : Layer
{
    internal const byte Kind = 7;

    /// <inheritdoc/>
    public override string Name => "BatchNormalization";

    internal override void Build(LayerBuild build)
    {
        int channels = build.Shape[0];
        // Keras' momentum weighs the old moving value (0.99); PyTorch's weighs the new batch value (0.01).
        nn.Module<Tensor, Tensor> module = build.Shape.Length switch
        {
            1 or 2 => nn.BatchNorm1d(channels, Epsilon, 1 - Momentum),
            3 => nn.BatchNorm2d(channels, Epsilon, 1 - Momentum),
            _ => throw build.ShapeError(this, $"BatchNormalization takes (features), (channels, length) or (channels, height, width) examples, not a {build.Shape.Length}-D tensor", "Check the layers before it."),
        };
        build.Add("batchnorm", module);
    }

    // The moving statistics (scoring mode); ONNX's momentum is Keras' (it is not used when scoring).
    internal override void Export(OnnxExport export)
    {
        var module = export.Take();
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var buffers = module.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        export.Apply("BatchNormalization", [export.Initializer("scale", parameters["weight"]), export.Initializer("bias", parameters["bias"]),
            export.Initializer("mean", buffers["running_mean"]), export.Initializer("variance", buffers["running_var"])],
            OnnxExport.Float("epsilon", (float)Epsilon), OnnxExport.Float("momentum", (float)Momentum));
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Momentum);
        w.Write(Epsilon);
    }

    internal static BatchNormalizationLayer Read(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble());
}
