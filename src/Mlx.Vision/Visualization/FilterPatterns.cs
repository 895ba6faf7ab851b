using Mlx.Vision.Onnx.Import;
using static TorchSharp.torch;

namespace Mlx.Vision.Visualization;

/// <summary>
/// What a convolution filter responds to ("Deep Learning with Python" 9.4.2): gradient ascent in input space on the
/// mean activation of one channel (the border of 2 positions excluded, as the book does), with L2-normalised gradient
/// steps. Starts from a seeded uniform image in [0.4, 0.6] (or the one given) and returns the input it reached.
/// </summary>
public static class FilterPatterns
{
    /// <summary>Runs <paramref name="iterations"/> ascent steps for channel <paramref name="filter"/> of <paramref name="layer"/>.</summary>
    /// <param name="network">The imported network.</param>
    /// <param name="layer">A convolutional layer's tensor.</param>
    /// <param name="filter">The channel to maximise.</param>
    /// <param name="start">The starting image (1, C, H, W); null for a seeded uniform [0.4, 0.6] image of the network's input size given by <paramref name="shape"/>.</param>
    /// <param name="shape">(C, H, W) of the input when <paramref name="start"/> is null.</param>
    /// <param name="iterations">Ascent steps (the book: 30).</param>
    /// <param name="learningRate">Step length (the book: 10).</param>
    /// <param name="seed">Seed of the starting image.</param>
    /// <returns>The final image, (C, H, W) row-major, before any display scaling.</returns>
    public static float[] Ascend(OnnxTorchModule network, string layer, int filter, Tensor? start = null, int[]? shape = null,
        int iterations = 30, double learningRate = 10, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (start is null && shape is not { Length: 3 })
            throw new ArgumentException("Give the starting image or the (C, H, W) input shape.", nameof(shape));
        bool wasTraining = network.training;
        network.eval();
        var frozen = network.parameters().Where(p => p.requires_grad).ToList();
        frozen.ForEach(p => p.requires_grad = false);     // only the image is differentiated
        try
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            var image = start?.detach().clone() ?? rand([1, .. shape!.Select(d => (long)d)], generator: new Generator((ulong)seed)) * 0.2f + 0.4f;
            for (int step = 0; step < iterations; step++)
            {
                using var stepScope = NewDisposeScope();
                var x = image.detach().requires_grad_();
                var activation = network.ForwardWithTaps(x, [layer]).Taps[layer];
                if (filter < 0 || filter >= activation.shape[1])
                    throw new ArgumentOutOfRangeException(nameof(filter), filter, $"Layer '{layer}' has {activation.shape[1]} channels.");
                var channel = activation.select(1, filter);
                long h = channel.shape[1], w = channel.shape[2];
                var inner = h > 4 && w > 4 ? channel.narrow(1, 2, h - 4).narrow(2, 2, w - 4) : channel;
                var gradient = autograd.grad([inner.mean()], [x])[0];
                var norm = gradient.norm().clamp_min(1e-12);
                using var _ = no_grad();
                var next = (x + gradient / norm * learningRate).detach().MoveToOuterDisposeScope();
                image.Dispose();
                image = next;
            }
            return image.contiguous().data<float>().ToArray();
        }
        finally
        {
            frozen.ForEach(p => p.requires_grad = true);
            network.train(wasTraining);
        }
    }
}
