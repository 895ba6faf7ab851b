using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>ONNX <c>Gemm</c> (α·A′·B′ + β·C, optional transposes) and <c>MatMul</c> (numpy semantics).</summary>
internal static class LinearAlgebraOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry)
    {
        registry["Gemm"] = Gemm;
        registry["MatMul"] = (_, inputs, _) => [inputs[0]!.matmul(inputs[1]!)];
    }

    private static Tensor[] Gemm(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var c = inputs.Length > 2 ? inputs[2] : null;
        float alpha = node.Float("alpha", 1), beta = node.Float("beta", 1);
        bool transA = node.Int("transA", 0) == 1, transB = node.Int("transB", 0) == 1;
        // The exporters' fully connected layer: one fused linear.
        if (alpha == 1 && beta == 1 && !transA && transB)
            return [nn.functional.linear(a, b, c)];
        using var left = transA ? a.t() : a.alias();
        using var right = transB ? b.t() : b.alias();
        var y = left.matmul(right);
        if (alpha != 1)
            y.mul_(alpha);
        if (c is null)
            return [y];
        using (y)
            return [beta == 1 ? y + c : y + beta * c];
    }
}
