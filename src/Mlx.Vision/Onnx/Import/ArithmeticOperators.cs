using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>ONNX <c>Add</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c> with numpy broadcasting (integer division truncates, as ONNX's).</summary>
internal static class ArithmeticOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry)
    {
        registry["Add"] = (_, inputs, _) => [inputs[0]! + inputs[1]!];
        registry["Sub"] = (_, inputs, _) => [inputs[0]! - inputs[1]!];
        registry["Mul"] = (_, inputs, _) => [inputs[0]! * inputs[1]!];
        registry["Div"] = (_, inputs, _) =>
            [inputs[0]!.is_floating_point() ? inputs[0]! / inputs[1]! : inputs[0]!.div(inputs[1]!, RoundingMode.trunc)];
    }
}
