using Mlx.Vision.Onnx.Import;
using static TorchSharp.torch;

namespace Mlx.Vision;

/// <summary>
/// A pretrained backbone inside a network: the trainer's image batch (R, G, B planes in [0, 1]) turned into the
/// backbone's input by its <see cref="ImagePreprocessing"/> (back to 0–255, channel order, scale, mean, std or mean
/// image: what FeaturizeImage does to pixels), then the imported graph. Starts fully frozen.
/// </summary>
internal sealed class BackboneModule : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the field's name is the parameters' prefix (network.…)
    private readonly OnnxTorchModule network;
#pragma warning restore IDE1006
    private readonly Tensor _multiplier, _offset;
    private readonly Tensor? _meanImage, _planes;

    public BackboneModule(OnnxTorchModule imported, ImagePreprocessing preprocessing, int channels, int height, int width) : base(nameof(BackboneModule))
    {
        network = imported;
        // The trainer's images are pixel / 255: the folded multiplier takes the 255 back.
        var folded = preprocessing.Fold(channels, height, width);
        _multiplier = tensor(folded.Multiplier.Select(m => 255f * m).ToArray(), [1, channels, 1, 1]);
        _offset = tensor(folded.Offset, [1, channels, 1, 1]);
        if (folded.ScaledMeanImage is { } mean)
            _meanImage = tensor(mean, [1, channels, height, width]);
        if (folded.ReordersPlanes)
            _planes = tensor(folded.SourcePlanes.Select(p => (long)p).ToArray());
        RegisterComponents();
        network.Freeze(null);
    }

    /// <summary>The preprocessing as tensors, for ONNX export: per-channel multiplier and offset (1, C, 1, 1), the scaled mean image or null, the plane order or null.</summary>
    internal (Tensor Multiplier, Tensor Offset, Tensor? MeanImage, Tensor? Planes) Preprocessing => (_multiplier, _offset, _meanImage, _planes);

    /// <summary>The imported graph (its node names are the cut and freeze points).</summary>
    public OnnxTorchModule Network => network;

    /// <summary>Convolutions in the backbone's graph (what <see cref="UnfreezeTop"/> counts from the top).</summary>
    public int ConvolutionCount => network.NodeTypes.Count(type => type == "Conv");

    /// <summary>Unfreezes the graph from its <paramref name="convolutions"/>-th last convolution on (with everything after it); 0 keeps it frozen.</summary>
    public void UnfreezeTop(int convolutions)
    {
        if (convolutions <= 0)
            return;
        var convs = network.NodeTypes.Select((type, index) => (type, index)).Where(n => n.type == "Conv").Select(n => n.index).ToList();
        int first = convs[Math.Max(0, convs.Count - convolutions)];
        if (first == 0)
        {
            foreach (var p in network.parameters())
                p.requires_grad = true;
            return;
        }
        network.Freeze(network.NodeNames[first - 1]);
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return network.forward(Preprocess(images)).MoveToOuterDisposeScope();
    }

    /// <summary>The trainer's images as the backbone's input (see the class summary).</summary>
    public Tensor Preprocess(Tensor images)
    {
        using var scope = NewDisposeScope();
        var ordered = _planes is null ? images : images.index_select(1, _planes);
        var x = ordered * _multiplier + _offset;
        if (_meanImage is not null)
            x = x - _meanImage;
        return x.MoveToOuterDisposeScope();
    }
}
