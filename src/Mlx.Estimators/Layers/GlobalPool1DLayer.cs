using TorchSharp;
using static TorchSharp.torch;

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
        build.Add(Kind == PoolKind.Max ? "globalmaxpool1d" : "globalavgpool1d", new GlobalPool1d(Kind));
        build.Shape = [build.Shape[0]];
    }

    internal override void Export(OnnxExport export)
    {
        export.Take();
        export.Apply(Kind == PoolKind.Max ? "GlobalMaxPool" : "GlobalAveragePool", []);
        export.Apply("Flatten", [], OnnxExport.Int("axis", 1));
        export.Shape = [export.Shape[0]];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(SavedKind);
        w.Write((byte)Kind);
    }

    internal static GlobalPool1DLayer Read(BinaryReader r) => new((PoolKind)r.ReadByte());

    private sealed class GlobalPool1d(PoolKind kind) : nn.Module<Tensor, Tensor>(nameof(GlobalPool1d))
    {
        public override Tensor forward(Tensor input) => kind == PoolKind.Max ? input.amax([2]) : input.mean([2]);
    }
}
