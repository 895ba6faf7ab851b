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
        bool wasTraining = network.training, headWasTraining = head?.training ?? false;
        network.eval();
        head?.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            var (output, taps) = network.ForwardWithTaps(images, [layer]);
            var activation = taps[layer];
            if (activation.dim() != 4)
                throw new ArgumentException($"Tensor '{layer}' has shape [{string.Join(", ", activation.shape)}]: Grad-CAM needs a convolutional layer's (N, C, h, w) activation.", nameof(layer));
            var scores = head is null ? output.flatten(1) : head.forward(output.flatten(1));
            long classes = scores.shape[1];
            if (classIndex is int c && (c < 0 || c >= classes))
                throw new ArgumentOutOfRangeException(nameof(classIndex), c, $"The network has {classes} outputs.");
            var chosen = classIndex is int k ? full([images.shape[0]], k, ScalarType.Int64) : scores.argmax(1, keepdim: false);
            var classScores = scores.gather(1, chosen.unsqueeze(1)).squeeze(1);
            var gradient = autograd.grad([classScores.sum()], [activation])[0];
            using var _ = no_grad();
            var weights = gradient.mean([2, 3], keepdim: true);
            var cam = nn.functional.relu((weights * activation).sum(1));
            var peak = cam.amax([1, 2], keepdim: true);
            var scaled = where(peak > 0, cam / peak.clamp_min(1e-30), zeros_like(cam)).contiguous();
            long height = scaled.shape[1], width = scaled.shape[2];
            var values = scaled.data<float>().ToArray();
            var chosenClasses = chosen.data<long>().ToArray();
            var chosenScores = classScores.detach().contiguous().data<float>().ToArray();
            return Enumerable.Range(0, (int)images.shape[0])
                .Select(i => new ClassActivationMap((int)chosenClasses[i], chosenScores[i], (int)height, (int)width, values.AsSpan(i * (int)(height * width), (int)(height * width)).ToArray()))
                .ToArray();
        }
        finally
        {
            network.train(wasTraining);
            head?.train(headWasTraining);
        }
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
