using Mlx.Estimators;
using Mlx.Vision.Onnx.Import;
using static TorchSharp.torch;

namespace Mlx.Vision.Visualization;

/// <summary>
/// Grad-CAM class activation maps (Selvaraju et al. 2017; "Deep Learning with Python" 9.4.3): where in the image a
/// convolutional layer saw evidence for a class. For each image, the gradient of the class's output (the logit, as in
/// the paper) with respect to the layer's activation is averaged over positions to weigh each channel; the heatmap is
/// the ReLU of the weighted sum of the channels, scaled to a maximum of 1 (all zeros when no position supports the
/// class, never NaN). Heatmaps have the layer's spatial size; <see cref="HeatmapImage"/> draws them over the image.
/// </summary>
public static class GradCam
{
    /// <summary>
    /// Grad-CAM of a network trained with Mlx (a convnet, or a fine-tuned backbone): the activation of hidden layer
    /// <paramref name="layer"/> (its index in <see cref="NeuralNetworkModel.Layers"/>; a convolution, pooling, batch norm
    /// or dropout layer of 2-D feature maps), for the class scores of the model's output layer (logits).
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="features">Rows of the model's features, (N, <see cref="NeuralNetworkModel.FeatureSize"/>), as the trainer reads them (an image column: R, G, B planes in [0, 1], i.e. <c>ExtractPixels(scaleImage: 1f / 255)</c>).</param>
    /// <param name="layer">The hidden layer whose output to explain.</param>
    /// <param name="classIndex">The class; null for each row's predicted class.</param>
    public static IReadOnlyList<ClassActivationMap> Compute(NeuralNetworkModel model, Tensor features, int layer, int? classIndex = null) =>
        Run(model, () => NetworkTaps.Forward(model, features, layer), $"layer {layer}", classIndex, features);

    /// <summary>
    /// Grad-CAM of a fine-tuned model at tensor <paramref name="backboneTensor"/> inside its pretrained backbone (the
    /// first layer, <see cref="BackboneLayer"/>), e.g. the last residual stage's output.
    /// </summary>
    public static IReadOnlyList<ClassActivationMap> Compute(NeuralNetworkModel model, Tensor features, string backboneTensor, int? classIndex = null) =>
        Run(model, () => NetworkTaps.Forward(model, features, backboneTensor), $"tensor '{backboneTensor}'", classIndex, features);

    private static IReadOnlyList<ClassActivationMap> Run(NeuralNetworkModel model, Func<(Tensor Scores, Tensor Activation)> forward, string what, int? classIndex, Tensor features) =>
        NetworkTaps.InEvalMode(model.TorchModule, () =>
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            var (scores, activation) = forward();
            return Maps(scores, activation, what, classIndex, features.shape[0]);
        });

    // The Grad-CAM formula on class scores (N, K) and a (N, C, h, w) activation they depend on.
    private static IReadOnlyList<ClassActivationMap> Maps(Tensor scores, Tensor activation, string what, int? classIndex, long rows)
    {
        if (activation.dim() != 4)
            throw new ArgumentException($"The activation of {what} has shape [{string.Join(", ", activation.shape)}]: Grad-CAM needs a convolutional layer's (N, C, h, w) output.");
        scores = scores.flatten(1);
        long classes = scores.shape[1];
        if (classIndex is int c && (c < 0 || c >= classes))
            throw new ArgumentOutOfRangeException(nameof(classIndex), c, $"The network has {classes} outputs.");
        var chosen = classIndex is int k ? full([rows], k, ScalarType.Int64) : scores.argmax(1, keepdim: false);
        var classScores = scores.gather(1, chosen.unsqueeze(1)).squeeze(1);
        var gradient = autograd.grad([classScores.sum()], [activation])[0];
        using var _ = no_grad();
        var weights = gradient.mean([2, 3], keepdim: true);
        var cam = nn.functional.relu((weights * activation).sum(1));
        var peak = cam.amax([1, 2], keepdim: true);
        var scaled = where(peak > 0, cam / peak.clamp_min(1e-30), zeros_like(cam)).contiguous();
        int height = (int)scaled.shape[1], width = (int)scaled.shape[2];
        var values = scaled.data<float>().ToArray();
        var chosenClasses = chosen.data<long>().ToArray();
        var chosenScores = classScores.detach().contiguous().data<float>().ToArray();
        return Enumerable.Range(0, (int)rows)
            .Select(i => new ClassActivationMap((int)chosenClasses[i], chosenScores[i], height, width, values.AsSpan(i * height * width, height * width).ToArray()))
            .ToArray();
    }

    /// <summary>Computes one heatmap per image of the batch.</summary>
    /// <param name="network">An imported backbone with its classifier (<see cref="OnnxBackbone.ToTorchModule"/>), whose output is per-class scores.</param>
    /// <param name="images">The batch (N, C, H, W), preprocessed as the network expects.</param>
    /// <param name="layer">The tensor of a convolutional layer (an ONNX tensor name from <see cref="OnnxTorchModule.NodeNames"/>' outputs), usually the last convolution block's.</param>
    /// <param name="classIndex">The class to explain; null for each image's predicted class.</param>
    /// <param name="head">A classifier applied to the network's (flattened) output, for a backbone cut below its own
    /// classifier, e.g. the head a fine-tuning added; null when the network's output is already the class scores.</param>
    public static IReadOnlyList<ClassActivationMap> Compute(OnnxTorchModule network, Tensor images, string layer, int? classIndex = null,
        nn.Module<Tensor, Tensor>? head = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"Grad-CAM takes a batch of images (N, C, H, W), not a tensor of shape [{string.Join(", ", images.shape)}].", nameof(images));
        IReadOnlyList<ClassActivationMap> Run()
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            var (output, taps) = network.ForwardWithTaps(images, [layer]);
            var scores = head is null ? output.flatten(1) : head.forward(output.flatten(1));
            return Maps(scores, taps[layer], $"tensor '{layer}'", classIndex, images.shape[0]);
        }
        return NetworkTaps.InEvalMode(network, () => head is null ? Run() : NetworkTaps.InEvalMode(head, Run));
    }
}

/// <summary>One image's Grad-CAM heatmap.</summary>
/// <param name="ClassIndex">The class explained.</param>
/// <param name="Score">The network's output for that class.</param>
/// <param name="Height">Heatmap rows (the layer's height).</param>
/// <param name="Width">Heatmap columns.</param>
/// <param name="Values">Row-major values in [0, 1].</param>
public sealed record ClassActivationMap(int ClassIndex, float Score, int Height, int Width, float[] Values)
{
    /// <summary>The value at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float this[int y, int x] => Values[y * Width + x];
}
