using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>Max or average pooling over (channels, length) examples; see <see cref="Layer.MaxPool1D"/> and <see cref="Layer.AveragePool1D"/>.</summary>
public sealed record Pool1DLayer(PoolKind Kind, int PoolSize, int Stride, Padding Padding) : Layer
{
    internal const byte SavedKind = 11;

    /// <inheritdoc/>
    public override string Name => Kind == PoolKind.Max ? "MaxPooling1D" : "AveragePooling1D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 2)
            throw build.ShapeError(this, $"{Name} takes (channels, length) examples, not a {build.Shape.Length}-D tensor", "Use it after Conv1D layers.");
        int length = build.Shape[1];
        int outLength = PaddingMath.Output(length, PoolSize, Stride, Padding);
        if (outLength < 1)
            throw build.ShapeError(this, $"its window of {PoolSize} is longer than the input of {length}", "Use a smaller pool size or Padding.Same.");
        // A 1-D window is a 1×k window over (N, C, 1, L): (left, right) padding, none above or below.
        var pad = PaddingMath.Pads1D(Padding, length, PoolSize, Stride) is { } lr ? new long[] { lr[0], lr[1], 0, 0 } : null;
        build.Add(Kind == PoolKind.Max ? "maxpool1d" : "avgpool1d", new OneDimensional(new PoolModule(Kind, [1, PoolSize], [1, Stride], pad)));
        build.Shape = [build.Shape[0], outLength];
    }

    internal override void Export(OnnxExport export)
    {
        export.Take();
        int length = export.Shape[1];
        export.Pool(Kind, [PoolSize], [Stride], OnnxExport.OnnxPads(PaddingMath.Pads1D(Padding, length, PoolSize, Stride), 1));
        export.Shape = [export.Shape[0], PaddingMath.Output(length, PoolSize, Stride, Padding)];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(SavedKind);
        w.Write((byte)Kind);
        w.Write(PoolSize);
        w.Write(Stride);
        w.Write((byte)Padding);
    }

    internal static Pool1DLayer Read(BinaryReader r) => new((PoolKind)r.ReadByte(), r.ReadInt32(), r.ReadInt32(), (Padding)r.ReadByte());

    /// <summary>Runs a 2-D pooling module on (N, C, 1, L).</summary>
    private sealed class OneDimensional(PoolModule pool) : nn.Module<Tensor, Tensor>(nameof(OneDimensional))
    {
        public override Tensor forward(Tensor input) => pool.forward(input.unsqueeze(2)).squeeze(2);
    }
}
