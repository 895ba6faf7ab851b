using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Mlx.TestSupport;
using Mlx.Vision.Visualization;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Vision.Tests.Visualization;

/// <summary>
/// Intermediate activations against ONNX Runtime reading the same tensor, their PNG grid, and filter patterns by
/// gradient ascent against PyTorch (tests/golden/gradcam/make_gradcam.py: 30 normalised steps from a stored start image,
/// float64; 1e-3 of the image's range after 30 steps of float32).
/// </summary>
public class ActivationAndFilterTests
{
    private const string Layer1 = "/layer1/relu_1/Relu_output_0";

    private static string Fixture => RepoPaths.Combine("tests", "golden", "onnx", "resnet_tiny_opset13.onnx");

    [Fact]
    public void Activations_equal_ONNX_Runtime_and_draw_one_tile_per_channel()
    {
        var network = OnnxBackbone.FromFile(Fixture, preprocessing: ImagePreprocessing.None).ToTorchModule();
        var input = Npz.Read(RepoPaths.Combine("tests", "golden", "onnx", "resnet_tiny.npz"), "input").Singles.Take(3 * 32 * 32).ToArray();
        using var image = tensor(input, [1, 3, 32, 32]);

        var activation = Activations.Compute(network, image, Layer1);

        var cut = OnnxBackbone.FromFile(Fixture, outputName: Layer1, preprocessing: ImagePreprocessing.None);
        using var session = new InferenceSession(cut.Model);
        using var x = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 32, 32]);
        using var results = session.Run(new RunOptions(), [cut.InputName], [x], [Layer1]);
        var expected = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal((8, 32, 32), (activation.Channels, activation.Height, activation.Width));
        double scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(activation.Values), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5 * scale));

        string png = Path.Combine(Path.GetTempPath(), $"activations-{Guid.NewGuid():N}.png");
        try
        {
            Activations.SaveGrid(activation, png, columns: 4, scale: 2);
            using var grid = SKBitmap.Decode(png);
            Assert.Equal((4 * 65, 2 * 65), (grid.Width, grid.Height));        // 4 × 2 tiles of 64 px and a 1 px gap
            // A tile shows its channel: the brightest display value of channel 0 is drawn as Viridis' yellow end.
            var display = activation.Display(0);
            int brightest = Array.IndexOf(display, display.Max());
            var pixel = grid.GetPixel(brightest % 32 * 2, brightest / 32 * 2);
            var top = new ScottPlot.Colormaps.Viridis().GetColor(display.Max() / 255.0);
            Assert.Equal((top.R, top.G, top.B), (pixel.Red, pixel.Green, pixel.Blue));
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Filter_patterns_equal_the_PyTorch_gradient_ascent(int index)
    {
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "gradcam", "filters_resnet_tiny.json"))).RootElement;
        var start = golden.GetProperty("start").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        var pattern = golden.GetProperty("patterns")[index];
        var network = OnnxBackbone.FromFile(Fixture, preprocessing: ImagePreprocessing.None).ToTorchModule();
        using var initial = tensor(start, [1, 3, 32, 32]);

        var image = FilterPatterns.Ascend(network, pattern.GetProperty("layer").GetString()!, pattern.GetProperty("filter").GetInt32(), initial,
            iterations: pattern.GetProperty("iterations").GetInt32(), learningRate: pattern.GetProperty("learning_rate").GetDouble());

        var expected = pattern.GetProperty("image").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double range = expected.Max() - expected.Min();
        Assert.True(expected.Zip(start, (e, s) => Math.Abs(e - s)).Max() > 0.5, "the ascent moved the image");
        double worst = expected.Zip(image, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-3 * range, $"largest difference {worst:G3} against a range of {range:G3}");
        Assert.All(network.parameters(), p => Assert.True(p.requires_grad));    // the network is left trainable
    }
}
