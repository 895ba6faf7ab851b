using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.TestSupport;
using Mlx.Vision.Visualization;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Vision.Tests.Visualization;

/// <summary>
/// Grad-CAM of a convnet trained with Mlx (8×8 digits): the heatmap of a hidden layer equals the Grad-CAM formula
/// computed here by hand — the network split after that layer's modules, the gradient taken with autograd, the channel
/// weights, weighted sum, ReLU and scaling written out in loops.
/// </summary>
public class ConvNetGradCamTests
{
    [Fact]
    public void Heatmap_of_a_hidden_convolution_equals_the_formula_by_hand()
    {
        var ml = new MLContext(seed: 1);
        var digits = CsvTable.Load(RepoPaths.SklearnGolden("digits.csv"));
        var pixels = digits.Header.Where(h => h != "label").ToArray();
        var rows = digits.Numeric(pixels).Take(300).Select((r, i) => new Digit { Features = r.Select(v => (float)(v / 16)).ToArray(), Label = ((int)digits.Numeric(["label"])[i][0]).ToString() }).ToList();
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var layers = new Layer[] { Layer.Conv2D(6, 3, Activation.Relu, padding: Padding.Same), Layer.Conv2D(8, 3, Activation.Relu), Layer.MaxPool2D(2), Layer.Flatten() };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = layers, InputShape = [1, 8, 8], Epochs = 4, Seed = 1 }).Fit(data);
        using var features = tensor(rows.Take(5).SelectMany(r => r.Features).ToArray(), [5, 64]);

        var maps = GradCam.Compute(model, features, layer: 1);

        // By hand: modules 0 (input view), 1–2 (Conv2D 0 + ReLU), 3–4 (Conv2D 1 + ReLU) give the activation; the rest the scores.
        var modules = model.TorchModule.children().Cast<nn.Module<Tensor, Tensor>>().ToList();
        model.TorchModule.eval();
        using var scope = NewDisposeScope();
        var a = features;
        for (int i = 0; i < 5; i++)
            a = modules[i].forward(a);
        var scores = a;
        foreach (var m in modules.Skip(5))
            scores = m.forward(scores);
        var predicted = scores.argmax(1).data<long>().ToArray();
        var picked = Enumerable.Range(0, 5).Select(i => scores[i, predicted[i]]).Aggregate((x, y) => x + y);
        var g = autograd.grad([picked], [a])[0].contiguous().data<float>().ToArray();
        var act = a.detach().contiguous().data<float>().ToArray();
        int channels = (int)a.shape[1], h = (int)a.shape[2], w = (int)a.shape[3], plane = h * w;
        for (int n = 0; n < 5; n++)
        {
            Assert.Equal((int)predicted[n], maps[n].ClassIndex);
            var cam = new double[plane];
            for (int c = 0; c < channels; c++)
            {
                double weight = 0;
                for (int p = 0; p < plane; p++)
                    weight += g[((n * channels) + c) * plane + p];
                weight /= plane;
                for (int p = 0; p < plane; p++)
                    cam[p] += weight * act[((n * channels) + c) * plane + p];
            }
            double peak = cam.Select(v => Math.Max(v, 0)).Max();
            for (int p = 0; p < plane; p++)
            {
                double expected = peak > 0 ? Math.Max(cam[p], 0) / peak : 0;
                Assert.True(Math.Abs(maps[n].Values[p] - expected) <= 1e-5, $"row {n} position {p}: {maps[n].Values[p]} vs {expected}");
            }
        }
        Assert.Equal((6, 6), (maps[0].Height, maps[0].Width));

        // The same layer's activation for one row, and a filter pattern in the space of the 64 pixels.
        var activation = Activations.Compute(model, rows[0].Features, layer: 1);
        Assert.Equal((8, 6, 6), (activation.Channels, activation.Height, activation.Width));
        Assert.All(act.Take(8 * 36).Zip(activation.Values), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5 * (1 + Math.Abs(p.First))));
        int filter = Enumerable.Range(0, 8).MaxBy(c => activation.Channel(c).ToArray().Sum());
        float Objective(float[] input)
        {
            var row = Activations.Compute(model, input, layer: 1).Channel(filter).ToArray();
            return row.Where((v, i) => i / 6 is >= 2 and < 4 && i % 6 is >= 2 and < 4).Average();
        }
        var start = Enumerable.Repeat(0.5f, 64).ToArray();
        var pattern = FilterPatterns.Ascend(model, layer: 1, filter, iterations: 20, learningRate: 1);
        Assert.Equal(64, pattern.Length);
        Assert.True(Objective(pattern) > Objective(start) + 1, $"the ascent raised the filter's mean activation ({Objective(start):F3} -> {Objective(pattern):F3})");
        string png = Path.Combine(Path.GetTempPath(), $"pattern-{Guid.NewGuid():N}.png");
        try
        {
            FilterPatterns.SavePng(pattern, 1, 8, 8, png, scale: 4);
            using var decoded = SkiaSharp.SKBitmap.Decode(png);
            Assert.Equal((16, 16), (decoded.Width, decoded.Height));    // the 2-pixel border cropped, ×4
        }
        finally
        {
            File.Delete(png);
        }
    }

    private sealed class Digit
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }
}
