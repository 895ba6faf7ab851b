namespace Mlx.Estimators;

/// <summary>Global max or average pooling over the length axis; see <see cref="Layer.GlobalMaxPool1D"/> and <see cref="Layer.GlobalAveragePool1D"/>.</summary>
public sealed record GlobalPool1DLayer(PoolKind Kind) : Layer
{
    internal const byte SavedKind = 12;

    /// <inheritdoc/>
    public override string Name => Kind == PoolKind.Max ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 2)
            throw build.ShapeError(this, $"{Name} takes (channels, length) examples, not a {build.Shape.Length}-D tensor", "Use it after Conv1D layers.");
        build.Add(Kind == PoolKind.Max ? "globalmaxpool1d" : "globalavgpool1d", new GlobalPoolModule(Kind, [2]));
        build.Shape = [build.Shape[0]];
    }

    internal override void Export(OnnxExport export) => GlobalPoolModule.Export(export, Kind);

    internal override void Write(BinaryWriter w)
    {
        w.Write(SavedKind);
        w.Write((byte)Kind);
    }

    internal static GlobalPool1DLayer Read(BinaryReader r) => new((PoolKind)r.ReadByte());
}
