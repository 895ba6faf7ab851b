using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Training;

/// <summary>
/// NeuralNetworkOptions.StandardizeTargets: a network trained on large-valued targets with it predicts, in the
/// targets' units, what the same network trained on the standardized targets (computed here independently) predicts,
/// rescaled; without it the same network on the raw targets is far worse.
/// </summary>
public class TargetScalingTests
{
    private sealed class Row
    {
        [VectorType(10)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private static NeuralNetworkOptions Options(bool standardize) => new()
    {
        Layers = [Layer.Dense(16, Activation.Relu)], Epochs = 30, Seed = 2, Threads = 1, Optimizer = Optimizer.RmsProp(1e-3),
        StandardizeTargets = standardize,
    };

    [Fact]
    public void Large_targets_train_as_their_standardized_values_and_predict_in_their_units()
    {
        var ml = new MLContext(seed: 1);
        var diabetes = Datasets.Diabetes(ml);
        var features = diabetes.GetColumn<float[]>("Features").ToArray();
        // Prices-like targets: diabetes' progression × 1000 + 250,000.
        var price = diabetes.GetColumn<float>("Label").Select(y => y * 1000f + 250_000f).ToArray();
        double mean = price.Average(p => (double)p);
        double sd = Math.Sqrt(price.Average(p => ((double)p - mean) * ((double)p - mean)));
        IDataView View(Func<float, float> label) =>
            ml.Data.LoadFromEnumerable(features.Zip(price, (f, p) => new Row { Features = f, Label = label(p) }).ToList());

        var scaled = ml.Regression.Trainers.NeuralNetwork(Options(true)).Fit(View(p => p));
        var unit = ml.Regression.Trainers.NeuralNetwork(Options(false)).Fit(View(p => (float)((p - mean) / sd)));
        var raw = ml.Regression.Trainers.NeuralNetwork(Options(false)).Fit(View(p => p));

        var bigData = View(p => p);
        var predicted = scaled.Transform(bigData).GetColumn<float>("Score").ToArray();
        var expected = unit.Transform(bigData).GetColumn<float>("Score").Select(z => z * sd + mean).ToArray();
        // Same arithmetic up to the float rounding of the standardized targets: within 0.1 % of the SD.
        for (int i = 0; i < predicted.Length; i++)
            Assert.True(Math.Abs(predicted[i] - expected[i]) <= 1e-3 * sd, $"row {i}: {predicted[i]} vs {expected[i]} (SD {sd:0})");

        double Mae(float[] scores) => scores.Zip(price, (s, p) => Math.Abs(s - (double)p)).Average();
        double meanOnly = price.Average(p => Math.Abs(p - mean));
        Assert.True(Mae(predicted) < 0.8 * meanOnly, $"standardized: MAE {Mae(predicted):0} vs {meanOnly:0} for the mean");
        var rawScores = raw.Transform(bigData).GetColumn<float>("Score").ToArray();
        Assert.True(Mae(rawScores) > 2 * Mae(predicted), $"raw targets: MAE {Mae(rawScores):0}, standardized {Mae(predicted):0}");
    }
}
