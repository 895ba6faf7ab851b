namespace Mlx.Estimators;

/// <summary>Max or average pooling over square windows; see <see cref="Layer.MaxPool2D"/> and <see cref="Layer.AveragePool2D"/>.</summary>
public sealed record Pool2DLayer(PoolKind Kind, int PoolSize, int Stride, Padding Padding) : Layer
{
    internal const byte SavedKind = 5;

    /// <inheritdoc/>
    public override string Name => Kind == PoolKind.Max ? "MaxPooling2D" : "AveragePooling2D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 3)
            throw build.ShapeError(this, $"{Name} takes (channels, height, width) examples, not a {build.Shape.Length}-D tensor", "Use it after Conv2D layers, before Flatten.");
        int channels = build.Shape[0], height = build.Shape[1], width = build.Shape[2];
        int outHeight = PaddingMath.Output(height, PoolSize, Stride, Padding), outWidth = PaddingMath.Output(width, PoolSize, Stride, Padding);
        if (outHeight < 1 || outWidth < 1)
            throw build.ShapeError(this, $"its {PoolSize}x{PoolSize} window is larger than the {height}x{width} input", "Use a smaller pool size, Padding.Same, or fewer pooling layers.");
        build.Add(Kind == PoolKind.Max ? "maxpool" : "avgpool",
            new PoolModule(Kind, [PoolSize, PoolSize], [Stride, Stride], PaddingMath.Pads2D(Padding, height, width, PoolSize, PoolSize, Stride)));
        build.Shape = [channels, outHeight, outWidth];
    }

    internal override void Export(OnnxExport export)
    {
        export.Take();
        int height = export.Shape[1], width = export.Shape[2];
        export.Pool(Kind, [PoolSize, PoolSize], [Stride, Stride], OnnxExport.OnnxPads(PaddingMath.Pads2D(Padding, height, width, PoolSize, PoolSize, Stride), 2));
        export.Shape = [export.Shape[0], PaddingMath.Output(height, PoolSize, Stride, Padding), PaddingMath.Output(width, PoolSize, Stride, Padding)];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(SavedKind);
        w.Write((byte)Kind);
        w.Write(PoolSize);
        w.Write(Stride);
        w.Write((byte)Padding);
    }

    internal static Pool2DLayer Read(BinaryReader r) => new((PoolKind)r.ReadByte(), r.ReadInt32(), r.ReadInt32(), (Padding)r.ReadByte());
}
