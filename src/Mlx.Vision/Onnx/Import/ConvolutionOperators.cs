using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>ONNX <c>Conv</c> (1-D and 2-D; groups, dilations, strides, explicit or automatic padding, optional bias).</summary>
internal static class ConvolutionOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry) => registry["Conv"] = Conv;

    /// <summary>
    /// A convolution followed by an inference-mode BatchNormalization as one convolution: W·γ/√(σ²+ε) and
    /// (b − μ)·γ/√(σ²+ε) + β (what ONNX Runtime's graph optimiser does), computed from the current weights at every call
    /// so gradients reach W, b, γ and β exactly as through the two nodes.
    /// </summary>
    public static Tensor[] ConvWithFoldedNormalization(OnnxNode conv, Tensor?[] inputs, OnnxNode normalization, Tensor?[] statistics)
    {
        var weight = inputs[1]!;
        var bias = inputs.Length > 2 ? inputs[2] : null;
        var (scale, shift, mean, variance) = (statistics[1]!, statistics[2]!, statistics[3]!, statistics[4]!);
        double epsilon = normalization.Float("epsilon", 1e-5f);
        using var factor = scale / (variance + epsilon).sqrt();
        long[] broadcast = [-1, .. Enumerable.Repeat(1L, (int)weight.dim() - 1)];
        using var foldedWeight = weight * factor.view(broadcast);
        using var centred = bias is null ? -mean : bias - mean;
        using var foldedBias = centred * factor + shift;
        return Conv(conv, [inputs[0], foldedWeight, foldedBias], training: false);
    }

    private static Tensor[] Conv(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        var weight = inputs[1]!;
        var bias = inputs.Length > 2 ? inputs[2] : null;
        int rank = (int)x.dim() - 2;
        if (rank is not (1 or 2))
            throw node.Unsupported($"{rank}-D convolutions are not supported (1-D and 2-D are).");
        long[] kernel = node.Ints("kernel_shape") ?? weight.shape[2..];
        long[] strides = node.Ints("strides") ?? Enumerable.Repeat(1L, rank).ToArray();
        long[] dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, rank).ToArray();
        long groups = node.Int("group", 1);
        var padding = OnnxPadding.Of(node, x.shape[2..], kernel, strides, dilations).Simplified(x.shape[2..], kernel, strides, dilations);
        using var padded = padding.IsSymmetric ? null : padding.Apply(x, 0);
        var input = padded ?? x;
        long[] symmetric = padding.IsSymmetric ? padding.Begin : new long[rank];
        var y = rank == 2
            ? nn.functional.conv2d(input, weight, bias, strides, symmetric, dilations, groups)
            : nn.functional.conv1d(input, weight, bias, strides[0], symmetric[0], dilations[0], groups);
        return [y];
    }
}
