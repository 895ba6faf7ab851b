using System.Text.Json;
using Mlx.TestSupport;
using Mlx.Vision.Visualization;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Vision.Tests.Visualization;

/// <summary>
/// Grad-CAM on the imported resnet_tiny fixture against PyTorch's (tests/golden/gradcam/make_gradcam.py: the same
/// network rebuilt in PyTorch, float64 autograd with a forward hook) for two layers and two class choices; 1e-4 of
/// the heatmap's range (float32 against float64).
/// </summary>
public class GradCamTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<int> Cases() => new(0, 1, 2, 3);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Heatmaps_equal_the_PyTorch_reference(int index)
    {
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "gradcam", "gradcam_resnet_tiny.json"))).RootElement;
        var c = golden.GetProperty("cases")[index];
        var network = OnnxBackbone.FromFile(RepoPaths.Combine("tests", "golden", "onnx", "resnet_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None).ToTorchModule();
        var input = Npz.Read(RepoPaths.Combine("tests", "golden", "onnx", "resnet_tiny.npz"), "input");
        using var images = tensor(input.Values.Select(v => (float)v).ToArray(), [4, 3, 32, 32]);
        int? classIndex = c.GetProperty("class").ValueKind == JsonValueKind.Null ? null : c.GetProperty("class").GetInt32();

        var maps = GradCam.Compute(network, images, c.GetProperty("layer").GetString()!, classIndex);

        var shape = c.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var expected = c.GetProperty("heatmaps").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var classes = c.GetProperty("classes").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal(4, maps.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(classes[i], maps[i].ClassIndex);
            Assert.Equal((shape[1], shape[2]), (maps[i].Height, maps[i].Width));
            for (int j = 0; j < maps[i].Values.Length; j++)
            {
                double e = expected[i * maps[i].Values.Length + j];
                Assert.True(Math.Abs(maps[i].Values[j] - e) <= Tolerance, $"image {i} position {j}: {maps[i].Values[j]} vs {e}");
            }
            // Scaled to a maximum of 1, or all zeros when no position supports the class (never NaN).
            Assert.True(Math.Abs(maps[i].Values.Max() - 1) < 1e-5 || maps[i].Values.All(v => v == 0), $"image {i}: maximum {maps[i].Values.Max()}");
        }
    }

    [Fact]
    public void The_overlay_is_the_image_size_and_hottest_where_the_map_peaks()
    {
        var map = new ClassActivationMap(0, 1f, 4, 4, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        string image = Path.Combine(Path.GetTempPath(), $"gray-{Guid.NewGuid():N}.png");
        string overlay = Path.ChangeExtension(image, ".overlay.png");
        try
        {
            using (var gray = new SKBitmap(64, 48))
            {
                gray.Erase(new SKColor(128, 128, 128));
                using var data = SKImage.FromBitmap(gray).Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(image, data.ToArray());
            }
            HeatmapImage.Save(map, image, overlay, opacity: 0.5f);
            using var result = SKBitmap.Decode(overlay);
            Assert.Equal((64, 48), (result.Width, result.Height));
            var hot = result.GetPixel(62, 46);      // the map's 1 (bottom-right): Jet's dark red over gray
            var cold = result.GetPixel(2, 2);       // a 0: Jet's dark blue over gray
            Assert.True(hot.Red > hot.Blue + 40 && cold.Blue > cold.Red + 40, $"hot {hot}, cold {cold}");
        }
        finally
        {
            File.Delete(image);
            File.Delete(overlay);
        }
    }
}
