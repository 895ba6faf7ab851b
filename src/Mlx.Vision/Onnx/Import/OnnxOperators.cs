namespace Mlx.Vision.Onnx.Import;

/// <summary>
/// The ONNX operators the TorchSharp import runs, by op type. Each family registers its operators from its own file
/// (convolution, pooling, normalization, activations, arithmetic, linear algebra, tensor shape); a new operator is one
/// entry in its family.
/// </summary>
internal static class OnnxOperators
{
    private static readonly Dictionary<string, OnnxOperator> Registry = Build();

    /// <summary>Every supported op type, sorted (for messages).</summary>
    public static IReadOnlyList<string> Supported { get; } = Registry.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string opType, out OnnxOperator op) => Registry.TryGetValue(opType, out op!);

    private static Dictionary<string, OnnxOperator> Build()
    {
        var registry = new Dictionary<string, OnnxOperator>(StringComparer.Ordinal);
        ConvolutionOperators.Register(registry);
        PoolingOperators.Register(registry);
        NormalizationOperators.Register(registry);
        ActivationOperators.Register(registry);
        ArithmeticOperators.Register(registry);
        LinearAlgebraOperators.Register(registry);
        ShapeOperators.Register(registry);
        return registry;
    }
}
