using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators.Tests.Trainers;
using Mlx.TestSupport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Estimators.Tests.Layers;

/// <summary>
/// Every layer kind in one network (shapes, Keras-style summary with batch normalization's non-trainable statistics,
/// new-process save/load), spatial dropout's whole-channel masks, and a 1-D convnet that learns.
/// </summary>
public class LayerStackTests
{
    private static NeuralNetworkOptions EveryLayer(int epochs) => new()
    {
        InputShape = new[] { 1, 8, 8 },
        Layers = new Layer[]
        {
            Layer.Conv2D(8, 3, Activation.Relu, padding: Padding.Same),
            Layer.BatchNormalization(),
            Layer.SeparableConv2D(16, 3, Activation.Relu, padding: Padding.Same),
            Layer.SpatialDropout2D(0.1),
            Layer.AveragePool2D(2, padding: Padding.Same),
            Layer.MaxPool2D(2),
            Layer.Flatten(),
            Layer.Dense(16, Activation.Relu),
            Layer.Dropout(0.2),
        },
        Epochs = epochs,
        Seed = 1,
        Threads = 1,
    };

    [Fact]
    public void A_network_of_every_layer_kind_has_Keras_counts_and_reloads_identically()
    {
        var ml = new MLContext(seed: 1);
        var data = DigitsData.Load(ml);
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(EveryLayer(2)).Fit(data);
        var rows = model.LayerSummaries;
        Assert.Equal(new[] { 8, 8, 8 }, rows[1].OutputShape);
        // Batch normalization: γ, β trainable; moving mean and variance counted as non-trainable, as Keras does.
        Assert.Equal((32L, 16L), (rows[1].Parameters, rows[1].TrainableParameters));
        // Separable: depthwise 8·3·3, pointwise 8·16 + 16 bias.
        Assert.Equal(72L + 128 + 16, rows[2].Parameters);
        Assert.Equal(new[] { 16, 4, 4 }, rows[4].OutputShape);
        Assert.Equal(new[] { 16, 2, 2 }, rows[5].OutputShape);
        Assert.Equal(new[] { 64 }, rows[6].OutputShape);
        Assert.Contains("Non-trainable params: 16", model.Summary());

        var sample = ml.Data.TakeRows(data, 40);
        var here = model.Transform(sample).GetColumn<float[]>("Score").ToArray();
        var there = ModelRoundTrip.TransformInNewProcess(ml, model, sample, Path.Combine(Path.GetTempPath(), $"mlx-layers-{Guid.NewGuid():N}")).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(here, there);
        // Inference uses the moving statistics: scoring one row alone gives the same scores as in a batch.
        var engine = ml.Model.CreatePredictionEngine<DigitsData.Row, DigitsData.Scores>(model);
        var first = ml.Data.CreateEnumerable<DigitsData.Row>(sample, reuseRowObject: false).First();
        var alone = engine.Predict(first).Score;
        for (int k = 0; k < alone.Length; k++)
            Assert.Equal(here[0][k], alone[k], 1e-5f);
    }

    [Fact]
    public void Concurrent_trainings_of_one_seeded_convnet_are_identical()
    {
        // Batch normalization, spatial dropout and dropout draw from run-owned generators, not libtorch's global one.
        var ml = new MLContext(seed: 1);
        var data = DigitsData.Load(ml);
        var histories = new double[3][];
        Parallel.For(0, 3, i => histories[i] = ml.MulticlassClassification.Trainers.NeuralNetwork(EveryLayer(2)).Fit(data).History.Epochs.Select(e => e.Loss).ToArray());
        Assert.Equal(histories[0], histories[1]);
        Assert.Equal(histories[0], histories[2]);
    }

    [Fact]
    public void Spatial_dropout_drops_whole_channels_and_is_the_identity_in_inference()
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var build = new LayerBuild(new Random(1), new Generator(5), modules, new List<(TorchSharp.Modules.Parameter, Regularizer)>()) { Shape = [6, 4, 4] };
        Layer.SpatialDropout2D(0.5).Build(build);
        using var scope = NewDisposeScope();
        var module = nn.Sequential(modules);
        var x = ones(20, 6, 4, 4);
        module.train();
        var y = module.forward(x).data<float>().ToArray();
        int dropped = 0;
        for (int map = 0; map < 20 * 6; map++)
        {
            var values = y.AsSpan(map * 16, 16).ToArray();
            Assert.True(values.All(v => v == 0) || values.All(v => v == 2), $"map {map} mixes kept and dropped pixels");
            dropped += values[0] == 0 ? 1 : 0;
        }
        Assert.InRange(dropped, 30, 90); // 120 maps, p = 0.5: far outside 30..90 has probability < 1e-7
        module.eval();
        Assert.Equal(x.data<float>().ToArray(), module.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void A_1D_convnet_learns_digit_rows_read_as_a_series()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(DigitsData.Load(ml), testFraction: 0.25, seed: 2);
        var options = new NeuralNetworkOptions
        {
            InputShape = new[] { 1, 64 },
            Layers = new Layer[] { Layer.Conv1D(16, 5, Activation.Relu, padding: Padding.Same), Layer.MaxPool1D(2), Layer.Conv1D(32, 3, Activation.Relu), Layer.GlobalMaxPool1D() },
            Optimizer = Optimizer.Adam(0.01),
            Epochs = 30,
            BatchSize = 32,
            Seed = 1,
            Threads = 1,
        };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(split.TrainSet);
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet)).MicroAccuracy;
        // Rows of 8 pixels read as one series of 64 (the 2-D structure hidden): measured 84.8 %, chance 10 %.
        Assert.True(accuracy > 0.8, $"1-D convnet test accuracy {accuracy:P1}");
    }
}
