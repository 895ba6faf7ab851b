using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>Elementwise ONNX operators: <c>Relu</c>, <c>LeakyRelu</c>, <c>Sigmoid</c>, <c>Tanh</c>, <c>Clip</c>, <c>Softmax</c>, <c>Dropout</c>.</summary>
internal static class ActivationOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry)
    {
        registry["Relu"] = (_, inputs, _) => [nn.functional.relu(inputs[0]!)];
        registry["LeakyRelu"] = (node, inputs, _) => [nn.functional.leaky_relu(inputs[0]!, node.Float("alpha", 0.01f))];
        registry["Sigmoid"] = (_, inputs, _) => [nn.functional.sigmoid(inputs[0]!)];
        registry["Tanh"] = (_, inputs, _) => [nn.functional.tanh(inputs[0]!)];
        registry["Clip"] = Clip;
        registry["Softmax"] = Softmax;
        registry["Dropout"] = Dropout;
    }

    // Opset 11 moved min and max from attributes to optional inputs.
    private static Tensor[] Clip(OnnxNode node, Tensor?[] inputs, bool training)
    {
        double? min = node.Opset >= 11 ? Scalar(inputs, 1) : node.Has("min") ? node.Float("min", 0) : null;
        double? max = node.Opset >= 11 ? Scalar(inputs, 2) : node.Has("max") ? node.Float("max", 0) : null;
        var x = inputs[0]!;
        return [min is null && max is null ? x.alias() : x.clamp(min, max)];
    }

    private static double? Scalar(Tensor?[] inputs, int index) =>
        inputs.Length > index && inputs[index] is { } t ? t.to_type(ScalarType.Float64).item<double>() : null;

    // Before opset 13 Softmax flattened the input into 2-D at `axis` (default 1); since, it acts on one axis (default −1).
    private static Tensor[] Softmax(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long axis = node.Int("axis", node.Opset >= 13 ? -1 : 1);
        if (axis < 0)
            axis += x.dim();
        if (node.Opset >= 13 || axis == x.dim() - 1)
            return [nn.functional.softmax(x, axis)];
        long rows = x.shape[..(int)axis].Aggregate(1L, (a, b) => a * b);
        using var flat = x.reshape(rows, -1);
        using var y = nn.functional.softmax(flat, 1);
        return [y.reshape(x.shape)];
    }

    // Identity when scoring; drops units in training mode (the ratio is an attribute before opset 12, an input since).
    private static Tensor[] Dropout(OnnxNode node, Tensor?[] inputs, bool training)
    {
        if (node.Proto.Output.Count > 1 && !string.IsNullOrEmpty(node.Proto.Output[1]))
            throw node.Unsupported("the mask output is not supported.");
        double ratio = node.Opset >= 12 ? Scalar(inputs, 1) ?? 0.5 : node.Float("ratio", 0.5f);
        var x = inputs[0]!;
        return [training && ratio > 0 ? nn.functional.dropout(x, ratio, training: true) : x.alias()];
    }
}
