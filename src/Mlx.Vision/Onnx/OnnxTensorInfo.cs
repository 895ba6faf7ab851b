namespace Mlx.Vision.Onnx;

/// <summary>One input or output of an ONNX graph.</summary>
/// <param name="Name">The graph's name for it.</param>
/// <param name="ElementType">The element type (e.g. <see cref="float"/>).</param>
/// <param name="Dimensions">The declared shape; −1 marks a symbolic (dynamic) dimension.</param>
/// <param name="SymbolicDimensions">The names of symbolic dimensions ("" for fixed ones).</param>
public sealed record OnnxTensorInfo(string Name, Type ElementType, IReadOnlyList<int> Dimensions, IReadOnlyList<string> SymbolicDimensions)
{
    /// <summary>True when the first (batch) dimension is symbolic, so batches of any size can be run as they are.</summary>
    public bool HasDynamicBatch => Dimensions.Count > 0 && Dimensions[0] < 0;

    /// <summary>The shape as text, e.g. <c>[N,3,224,224]</c>.</summary>
    public string ShapeText => "[" + string.Join(",", Dimensions.Select((d, i) => d >= 0 ? d.ToString() : SymbolicDimensions[i] is { Length: > 0 } s ? s : "?")) + "]";

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {ElementType.Name}{ShapeText}";
}
