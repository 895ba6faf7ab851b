namespace Mlx.Estimators;

/// <summary>Global max or average pooling; see <see cref="Layer.GlobalAveragePool2D"/> and <see cref="Layer.GlobalMaxPool2D"/>.</summary>
public sealed record GlobalPool2DLayer(PoolKind Kind) : Layer
{
    internal const byte SavedKind = 6;

    /// <inheritdoc/>
    public override string Name => Kind == PoolKind.Max ? "GlobalMaxPooling2D" : "GlobalAveragePooling2D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 3)
            throw build.ShapeError(this, $"{Name} takes (channels, height, width) examples, not a {build.Shape.Length}-D tensor", "Use it after Conv2D layers.");
        build.Add(Kind == PoolKind.Max ? "globalmaxpool" : "globalavgpool", new GlobalPoolModule(Kind, [2, 3]));
        build.Shape = [build.Shape[0]];
    }

    internal override void Export(OnnxExport export) => GlobalPoolModule.Export(export, Kind);

    internal override void Write(BinaryWriter w)
    {
        w.Write(SavedKind);
        w.Write((byte)Kind);
    }

    internal static GlobalPool2DLayer Read(BinaryReader r) => new((PoolKind)r.ReadByte());
}
