using TorchSharp;

namespace Mlx.Estimators;

/// <summary>
/// A recurrent layer run in both directions (Keras <c>Bidirectional</c>); see <see cref="Layer.Bidirectional"/>. The
/// backward copy has its own weights, drawn after the forward one's.
/// </summary>
public sealed record BidirectionalLayer(RecurrentLayer Layer, BidirectionalMerge Merge) : Layer
{
    internal const byte Kind = 17;

    /// <inheritdoc/>
    public override string Name => $"Bidirectional({Layer.Name})";

    internal override bool CarriesMask => Layer.ReturnSequences;

    internal override void Build(LayerBuild build)
    {
        var (features, timesteps) = RecurrentLayer.SequenceShape(build, this);
        var forwards = Layer.CreateModule(build, features);
        var backwards = Layer.CreateModule(build, features);
        build.Add("bidirectional", new BidirectionalModule(forwards, backwards, Merge, build.Mask));
        int units = Merge == BidirectionalMerge.Concat ? 2 * Layer.Units : Layer.Units;
        build.Shape = Layer.ReturnSequences ? [units, timesteps] : [units];
    }

    internal override void Export(OnnxExport export) =>
        RecurrentExport.Export(export, Layer, export.Take<BidirectionalModule>().Directions, Merge);

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Layer.Kind);
        Layer.WriteFields(w);
        w.Write((byte)Merge);
    }

    internal static BidirectionalLayer Read(BinaryReader r)
    {
        var layer = RecurrentLayer.Read(r.ReadByte(), r);
        var merge = (BidirectionalMerge)r.ReadByte();
        return Enum.IsDefined(merge) ? new BidirectionalLayer(layer, merge) : throw new InvalidDataException($"Unknown Bidirectional merge mode {(byte)merge} in a saved neural network.");
    }
}
