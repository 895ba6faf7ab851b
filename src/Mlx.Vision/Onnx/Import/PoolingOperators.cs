using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>ONNX <c>MaxPool</c>, <c>AveragePool</c> (1-D and 2-D, any padding, ceil mode), <c>GlobalAveragePool</c>, <c>GlobalMaxPool</c>.</summary>
internal static class PoolingOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry)
    {
        registry["MaxPool"] = MaxPool;
        registry["AveragePool"] = AveragePool;
        registry["GlobalAveragePool"] = (node, inputs, _) => [inputs[0]!.mean(SpatialAxes(inputs[0]!), keepdim: true)];
        registry["GlobalMaxPool"] = (node, inputs, _) => [inputs[0]!.amax(SpatialAxes(inputs[0]!), keepdim: true)];
    }

    private static long[] SpatialAxes(Tensor x) => Enumerable.Range(2, (int)x.dim() - 2).Select(a => (long)a).ToArray();

    private sealed record Window(int Rank, long[] Kernel, long[] Strides, long[] Dilations, OnnxPadding Padding, bool CeilMode)
    {
        // TorchSharp pads symmetrically and at most half a window; anything else is padded beforehand.
        public bool TorchPads => Padding.IsSymmetric && Padding.Begin.Zip(Kernel).All(p => p.First <= p.Second / 2);
    }

    private static Window WindowOf(OnnxNode node, Tensor x)
    {
        int rank = (int)x.dim() - 2;
        if (rank is not (1 or 2))
            throw node.Unsupported($"{rank}-D pooling is not supported (1-D and 2-D are).");
        long[] kernel = node.Ints("kernel_shape") ?? throw node.Unsupported("kernel_shape is missing.");
        long[] strides = node.Ints("strides") ?? Enumerable.Repeat(1L, rank).ToArray();
        long[] dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, rank).ToArray();
        bool ceilMode = node.Int("ceil_mode", 0) == 1;
        var padding = OnnxPadding.Of(node, x.shape[2..], kernel, strides, dilations);
        // The symmetric equivalent is worked out for floor mode only.
        if (!ceilMode)
            padding = padding.Simplified(x.shape[2..], kernel, strides, dilations);
        return new Window(rank, kernel, strides, dilations, padding, ceilMode);
    }

    private static Tensor[] MaxPool(OnnxNode node, Tensor?[] inputs, bool training)
    {
        if (node.Proto.Output.Count > 1 && !string.IsNullOrEmpty(node.Proto.Output[1]))
            throw node.Unsupported("the Indices output is not supported.");
        var x = inputs[0]!;
        var w = WindowOf(node, x);
        using var padded = w.TorchPads ? null : w.Padding.Apply(x, double.NegativeInfinity);
        var input = padded ?? x;
        long[] pads = w.TorchPads ? w.Padding.Begin : new long[w.Rank];
        var y = w.Rank == 2
            ? nn.functional.max_pool2d(input, w.Kernel, w.Strides, pads, w.Dilations, w.CeilMode)
            : nn.functional.max_pool1d(input, w.Kernel[0], w.Strides[0], pads[0], w.Dilations[0], w.CeilMode);
        return [y];
    }

    private static Tensor[] AveragePool(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        var w = WindowOf(node, x);
        if (w.Dilations.Any(d => d != 1))
            throw node.Unsupported("dilated average pooling is not supported.");
        bool includePad = node.Int("count_include_pad", 0) == 1;
        if (w.TorchPads)
            return [Average(x, w, w.Padding.Begin, includePad)];
        if (w.CeilMode)
            throw node.Unsupported("ceil_mode with uneven or wide padding is not supported.");
        // Uneven padding: average over the zero-padded input; without count_include_pad, divide by the share of
        // real pixels in each window (the same pooling of a padded mask of ones).
        using var padded = w.Padding.Apply(x, 0);
        var sums = Average(padded, w, new long[w.Rank], includePad: true);
        if (includePad)
            return [sums];
        using var ones = torch.ones([1, 1, .. x.shape[2..]], x.dtype, x.device);
        using var mask = w.Padding.Apply(ones, 0);
        using var share = Average(mask, w, new long[w.Rank], includePad: true);
        using (sums)
            return [sums / share];
    }

    private static Tensor Average(Tensor x, Window w, long[] pads, bool includePad) => w.Rank == 2
        ? nn.functional.avg_pool2d(x, w.Kernel, w.Strides, pads, w.CeilMode, includePad)
        : nn.functional.avg_pool1d(x, w.Kernel[0], w.Strides[0], pads[0], w.CeilMode, includePad);
}
