using Mlx.Estimators;
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
        long[] size = start?.shape ?? [1, .. shape!.Select(d => (long)d)];
        return Run(network, x => network.ForwardWithTaps(x, [layer]).Taps[layer], layer, filter, start, size, iterations, learningRate, seed);
    }

    /// <summary>
    /// The same ascent for channel <paramref name="filter"/> of hidden layer <paramref name="layer"/> of a network trained
    /// with Mlx, in the space of its features (e.g. an image's R, G, B planes in [0, 1]).
    /// </summary>
    /// <returns>The final feature row (<see cref="NeuralNetworkModel.FeatureSize"/> values).</returns>
    public static float[] Ascend(NeuralNetworkModel model, int layer, int filter, int iterations = 30, double learningRate = 10, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Run(model.TorchModule, x => NetworkTaps.Forward(model, x, layer).Activation, $"layer {layer}", filter, null, [1, model.FeatureSize], iterations, learningRate, seed);
    }

    /// <summary>
    /// Writes an ascended image ((C, H, W) values) as a PNG with the book's display scaling: standardised, ×64 + 128,
    /// clipped to [0, 255], the 2-pixel border the ascent ignored cropped (grey for one channel, RGB for three).
    /// </summary>
    public static void SavePng(float[] image, int channels, int height, int width, string pngPath, int scale = 4)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (channels is not (1 or 3) || image.Length != channels * height * width)
            throw new ArgumentException($"Give (C, H, W) values with 1 or 3 channels; got {image.Length} values for {channels}×{height}×{width}.", nameof(image));
        double mean = image.Average(), std = Math.Sqrt(image.Sum(v => (v - mean) * (v - mean)) / image.Length);
        byte Display(float v) => (byte)Math.Clamp(std > 0 ? (v - mean) / std * 64 + 128 : 128, 0, 255);
        int border = height > 4 && width > 4 ? 2 : 0, h = height - 2 * border, w = width - 2 * border, plane = height * width;
        using var bitmap = new SkiaSharp.SKBitmap(w, h);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int at = (y + border) * width + x + border;
                byte r = Display(image[at]), g = channels == 3 ? Display(image[plane + at]) : r, b = channels == 3 ? Display(image[2 * plane + at]) : r;
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor(r, g, b));
            }
        }
        using var scaled = bitmap.Resize(new SkiaSharp.SKImageInfo(w * scale, h * scale), new SkiaSharp.SKSamplingOptions(SkiaSharp.SKFilterMode.Nearest));
        using var png = scaled.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var file = File.Create(pngPath);
        png.SaveTo(file);
    }

    private static float[] Run(nn.Module<Tensor, Tensor> network, Func<Tensor, Tensor> activationOf, string layer, int filter, Tensor? start, long[] size,
        int iterations, double learningRate, int seed) =>
        NetworkTaps.InEvalMode(network, () => AscendWithFrozenWeights(network, activationOf, layer, filter, start, size, iterations, learningRate, seed));

    private static float[] AscendWithFrozenWeights(nn.Module<Tensor, Tensor> network, Func<Tensor, Tensor> activationOf, string layer, int filter, Tensor? start,
        long[] size, int iterations, double learningRate, int seed)
    {
        var frozen = network.parameters().Where(p => p.requires_grad).ToList();
        frozen.ForEach(p => p.requires_grad = false);     // only the input is differentiated
        try
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            var image = start?.detach().clone() ?? rand(size, generator: new Generator((ulong)seed)) * 0.2f + 0.4f;
            for (int step = 0; step < iterations; step++)
            {
                using var stepScope = NewDisposeScope();
                var x = image.detach().requires_grad_();
                var activation = activationOf(x);
                if (activation.dim() != 4)
                    throw new ArgumentException($"{layer} has shape [{string.Join(", ", activation.shape)}]: choose a convolutional layer's (N, C, h, w) output.", nameof(layer));
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
        }
    }
}
