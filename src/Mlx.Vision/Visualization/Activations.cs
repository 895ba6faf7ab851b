using Mlx.Estimators;
using Mlx.Vision.Onnx.Import;
using SkiaSharp;
using static TorchSharp.torch;

namespace Mlx.Vision.Visualization;

/// <summary>
/// The intermediate activations of one image ("Deep Learning with Python" 9.4.1): every channel of a layer's output as
/// an array, and as a PNG grid of channel images (each channel standardised, ×64 + 128, clipped to 0–255, as the book
/// displays them, drawn with ScottPlot's Viridis colormap; blank channels stay uniform).
/// </summary>
public static class Activations
{
    /// <summary>The activation of <paramref name="layer"/> for <paramref name="image"/> (1, C, H, W, preprocessed as the network expects).</summary>
    public static LayerActivation Compute(OnnxTorchModule network, Tensor image, string layer)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (image.dim() != 4 || image.shape[0] != 1)
            throw new ArgumentException($"Give one image as a (1, C, H, W) tensor, not a tensor of shape [{string.Join(", ", image.shape)}].", nameof(image));
        return NetworkTaps.InEvalMode(network, () =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return Describe(network.ForwardWithTaps(image, [layer]).Taps[layer], layer);
        });
    }

    /// <summary>
    /// The output of hidden layer <paramref name="layer"/> of a network trained with Mlx (a convolution, pooling, batch norm
    /// or dropout layer of 2-D feature maps) for one row of its features (as the trainer reads them).
    /// </summary>
    public static LayerActivation Compute(NeuralNetworkModel model, float[] features, int layer)
    {
        ArgumentNullException.ThrowIfNull(features);
        return NetworkTaps.InEvalMode(model.TorchModule, () =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            using var x = tensor(features, [1, features.Length]);
            return Describe(NetworkTaps.Forward(model, x, layer).Activation, $"layer {layer} ({model.Layers[layer].Name})");
        });
    }

    private static LayerActivation Describe(Tensor activation, string layer)
    {
        if (activation.dim() != 4)
            throw new ArgumentException($"{layer} has shape [{string.Join(", ", activation.shape)}]: choose a convolutional layer's (1, C, h, w) output.", nameof(layer));
        return new LayerActivation(layer, (int)activation.shape[1], (int)activation.shape[2], (int)activation.shape[3], activation.contiguous().data<float>().ToArray());
    }

    /// <summary>Writes the channels as a grid of <paramref name="columns"/> per row, each <paramref name="scale"/> pixels per value.</summary>
    public static void SaveGrid(LayerActivation activation, string pngPath, int columns = 16, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int rows = (activation.Channels + columns - 1) / columns, gap = 1;
        int cellWidth = activation.Width * scale, cellHeight = activation.Height * scale;
        using var surface = SKSurface.Create(new SKImageInfo(columns * (cellWidth + gap), rows * (cellHeight + gap), SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        var colormap = new ScottPlot.Colormaps.Viridis();
        for (int c = 0; c < activation.Channels; c++)
        {
            var display = activation.Display(c);
            using var tile = new SKBitmap(activation.Width, activation.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            for (int y = 0; y < activation.Height; y++)
            {
                for (int x = 0; x < activation.Width; x++)
                {
                    var color = colormap.GetColor(display[y * activation.Width + x] / 255.0);
                    tile.SetPixel(x, y, new SKColor(color.R, color.G, color.B));
                }
            }
            using var image = SKImage.FromBitmap(tile);
            float left = c % columns * (cellWidth + gap), top = c / columns * (cellHeight + gap);
            surface.Canvas.DrawImage(image, new SKRect(left, top, left + cellWidth, top + cellHeight), new SKSamplingOptions(SKFilterMode.Nearest));
        }
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(pngPath);
        png.SaveTo(file);
    }
}

/// <summary>One layer's activation for one image.</summary>
/// <param name="Layer">The tensor name.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="Height">Rows per channel.</param>
/// <param name="Width">Columns per channel.</param>
/// <param name="Values">Channel-major values (C, H, W).</param>
public sealed record LayerActivation(string Layer, int Channels, int Height, int Width, float[] Values)
{
    /// <summary>Channel <paramref name="channel"/>'s values, row-major.</summary>
    public ReadOnlySpan<float> Channel(int channel) => Values.AsSpan(channel * Height * Width, Height * Width);

    /// <summary>The book's display values of a channel: standardised, ×64 + 128, clipped to [0, 255]; a constant channel is 0.</summary>
    public float[] Display(int channel)
    {
        var values = Channel(channel);
        double mean = 0, squares = 0;
        foreach (float v in values)
            mean += v;
        mean /= values.Length;
        foreach (float v in values)
            squares += (v - mean) * (v - mean);
        double std = Math.Sqrt(squares / values.Length);
        var display = new float[values.Length];
        if (std == 0)
            return display;
        for (int i = 0; i < values.Length; i++)
            display[i] = (float)Math.Clamp((values[i] - mean) / std * 64 + 128, 0, 255);
        return display;
    }
}
