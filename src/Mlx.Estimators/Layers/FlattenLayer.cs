using TorchSharp;

namespace Mlx.Estimators;

/// <summary>Flattens every axis but the batch; see <see cref="Layer.Flatten"/>.</summary>
public sealed record FlattenLayer : Layer
{
    internal const byte Kind = 3;

    /// <inheritdoc/>
    public override string Name => "Flatten";

    internal override void Build(LayerBuild build)
    {
        if (build.VariableLength && build.Shape.Length > 1)
        {
            throw build.ShapeError(this, "the sequences have varying lengths, so flattening them gives vectors of varying size",
                "End the sequence part with a recurrent layer or a global pooling layer, or give the ids one length (VectorizeText's SequenceLength).");
        }
        build.Add("flatten", torch.nn.Flatten());
        build.Shape = [build.Shape.Aggregate(1, (a, b) => checked(a * b))];
    }

    // ONNX Flatten of (N, C, H, W) keeps the network's (C, H, W) order.
    internal override void Export(OnnxExport export)
    {
        export.Take();
        export.Apply("Flatten", [], OnnxExport.Int("axis", 1));
        export.Shape = [export.Shape.Aggregate(1, (a, b) => a * b)];
    }

    internal override void Write(BinaryWriter w) => w.Write(Kind);
}
