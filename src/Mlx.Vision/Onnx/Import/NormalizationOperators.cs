using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>
/// ONNX <c>BatchNormalization</c> (scale, bias, running mean and variance). In training mode the batch statistics
/// normalise and the running ones (the module's buffers) are updated with ONNX's momentum (running = momentum ×
/// running + (1 − momentum) × batch, Keras' convention; TorchSharp takes 1 − momentum); otherwise the running ones
/// are used, as exported.
/// </summary>
internal static class NormalizationOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry) => registry["BatchNormalization"] = BatchNormalization;

    private static Tensor[] BatchNormalization(OnnxNode node, Tensor?[] inputs, bool training)
    {
        if (node.Proto.Output.Skip(1).Any(o => !string.IsNullOrEmpty(o)))
            throw node.Unsupported("the training outputs (running mean, variance, saved statistics) are not supported; export the model in inference mode.");
        double epsilon = node.Float("epsilon", 1e-5f);
        double momentum = node.Float("momentum", 0.9f);
        var y = nn.functional.batch_norm(inputs[0]!, inputs[3]!, inputs[4]!, inputs[1], inputs[2], training, 1 - momentum, epsilon);
        return [y];
    }
}
