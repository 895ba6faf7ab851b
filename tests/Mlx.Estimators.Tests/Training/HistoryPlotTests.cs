using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Training;

/// <summary>History.SavePlot writes a valid PNG holding the training (blue) and validation (orange) curves.</summary>
public class HistoryPlotTests
{
    [Fact]
    public void Plot_is_a_decodable_PNG_with_both_curves()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(8, Activation.Relu) }, Epochs = 6, Seed = 1, Threads = 1, ValidationFraction = 0.25 };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(Datasets.Wine(ml));
        var path = Path.Combine(Path.GetTempPath(), $"mlx-history-{Guid.NewGuid():N}.png");
        model.History.SavePlot(path);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        Assert.Equal((1120, 420), (width, height));
        // Decode the single IDAT chunk (filter 0 rows) and count curve-coloured pixels in each half (loss | accuracy).
        int idat = IndexOf(bytes, "IDAT"u8.ToArray());
        int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(idat - 4));
        using var zlib = new ZLibStream(new MemoryStream(bytes, idat + 4, length), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var pixels = raw.ToArray();
        Assert.Equal(height * (1 + width * 3), pixels.Length);
        int Count((byte R, byte G, byte B) c, int fromX, int toX)
        {
            int n = 0;
            for (int y = 0; y < height; y++)
                for (int x = fromX; x < toX; x++)
                {
                    int i = y * (1 + width * 3) + 1 + x * 3;
                    if (pixels[i] == c.R && pixels[i + 1] == c.G && pixels[i + 2] == c.B) n++;
                }
            return n;
        }
        foreach (var (from, to) in new[] { (0, 560), (560, 1120) })
        {
            Assert.True(Count(Mlx.Core.Plotting.LineChart.Blue, from, to) > 100, "training curve drawn");
            Assert.True(Count(Mlx.Core.Plotting.LineChart.Orange, from, to) > 100, "validation curve drawn");
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        return -1;
    }
}
