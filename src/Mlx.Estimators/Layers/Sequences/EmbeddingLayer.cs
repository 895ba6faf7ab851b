using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Turns token ids into dense vectors (Keras <c>Embedding</c>); see <see cref="Layer.Embedding"/>. Takes a flat vector of
/// ids (the network's feature column) and gives (outputDimension, timesteps) sequences, channels first.
/// </summary>
public sealed record EmbeddingLayer(int InputDimension, int OutputDimension, bool MaskZero, bool Trainable, EmbeddingWeights? Weights) : Layer
{
    internal const byte Kind = 13;

    /// <inheritdoc/>
    public override string Name => "Embedding";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 1 || build.Index != 0)
        {
            throw build.ShapeError(this, "an Embedding takes the token ids of the feature column, so it must be the first layer and the features a flat vector",
                "Make it the first layer and leave NeuralNetworkOptions.InputShape unset.");
        }
        if (Weights is { } w && (w.Tokens != InputDimension || w.Dimension != OutputDimension))
        {
            throw build.ShapeError(this, $"its pretrained weights are {w.Tokens} × {w.Dimension}, not {InputDimension} × {OutputDimension}",
                "Give Embedding the weights' sizes, or load the weights for this vocabulary (EmbeddingWeights.FromGloveFile(..., inputDimension)).");
        }
        var embedding = nn.Embedding(InputDimension, OutputDimension);
        using (no_grad())
        {
            var values = TensorMemory.Floats(embedding.weight!);
            if (Weights is { } pretrained)
            {
                pretrained.Values.CopyTo(values);
            }
            else
            {
                // Keras' default embeddings_initializer: RandomUniform(-0.05, 0.05).
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)(build.Random.NextDouble() * 0.1 - 0.05);
            }
        }
        embedding.weight!.requires_grad = Trainable;
        var mask = MaskZero || build.VariableLength ? new SequenceMask() : null;
        build.Add("embedding", new EmbeddingModule(embedding, mask, build.Index));
        build.Mask = mask;
        build.Shape = [OutputDimension, build.Shape[0]];
    }

    internal override bool CarriesMask => true;

    internal override void Export(OnnxExport export)
    {
        var module = export.Take<EmbeddingModule>();
        string weight = export.Initializer("embeddings", module.Weight);
        // The ids arrive as floats (the network's input); Gather wants integers and gives (N, T, E).
        string ids = export.Node("Cast", [export.Current], OnnxExport.Int("to", (long)Onnx.TensorProto.Types.DataType.Int64));
        if (MaskZero || module.Masks)
        {
            // Padding at the end of each row (as VectorizeText writes it): the length is the count of non-zero ids. A
            // variable-length network masks without maskZero (its batches are padded with zeros); the ONNX graph takes
            // rows padded to its input length the same way, so it needs the lengths too (without them ONNX Runtime ran
            // the recurrent layers over the padding and scored padded rows differently).
            string real = export.Node("Cast", [export.Node("Not", [export.Node("Equal", [ids, export.Longs("zero", 0)])])], OnnxExport.Int("to", (long)Onnx.TensorProto.Types.DataType.Int32));
            export.SequenceLengths = export.Node("ReduceSum", [real, export.Longs("time_axis", 1)], OnnxExport.Int("keepdims", 0));
        }
        export.Current = export.Node("Gather", [weight, ids]);
        export.Apply("Transpose", [], OnnxExport.Ints("perm", 0, 2, 1));
        export.Shape = [OutputDimension, export.Shape[0]];
    }

    // The pretrained matrix is not written: it is the starting point of training, and the trained weights are saved with
    // the network's other weights.
    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(InputDimension);
        w.Write(OutputDimension);
        w.Write(MaskZero);
        w.Write(Trainable);
    }

    internal static EmbeddingLayer Read(BinaryReader r) => new(r.ReadInt32(), r.ReadInt32(), r.ReadBoolean(), r.ReadBoolean(), null);
}
