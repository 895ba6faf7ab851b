using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Global max or average pooling over every axis after the channels (the module of <see cref="GlobalPool1DLayer"/> and
/// <see cref="GlobalPool2DLayer"/>), and its ONNX form: GlobalMaxPool / GlobalAveragePool, then Flatten to (N, C).
/// </summary>
internal sealed class GlobalPoolModule(PoolKind kind, long[] axes) : nn.Module<Tensor, Tensor>(nameof(GlobalPoolModule))
{
    public override Tensor forward(Tensor input) => kind == PoolKind.Max ? input.amax(axes) : input.mean(axes);

    /// <summary>Exports the layer that built this module: the pooled (channels) vector.</summary>
    public static void Export(OnnxExport export, PoolKind kind)
    {
        export.Take<GlobalPoolModule>();
        export.Apply(kind == PoolKind.Max ? "GlobalMaxPool" : "GlobalAveragePool", []);
        export.Apply("Flatten", [], OnnxExport.Int("axis", 1));
        export.Shape = [export.Shape[0]];
    }
}
