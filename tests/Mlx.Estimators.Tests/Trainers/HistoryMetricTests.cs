using Microsoft.ML;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>The history's accuracy is the accuracy of the epoch's predictions (checked against ML.NET's evaluator).</summary>
public class HistoryMetricTests
{
    [Fact]
    public void Validation_accuracy_in_the_history_equals_the_evaluators_for_ten_classes()
    {
        var ml = new MLContext(seed: 1);
        var data = DigitsData.Load(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(32, Activation.Relu) }, Epochs = 5, Seed = 1, Threads = 1, ValidationData = split.TestSet };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(split.TrainSet);
        var evaluated = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet)).MicroAccuracy;
        Assert.Equal(evaluated, model.History.Epochs[^1].ValidationMetric!.Value, 1e-9);
    }
}

/// <summary>Argmax is right on the training threads, which flush denormals (TensorPrimitives.IndexOfMax was not).</summary>
public class ArgmaxTests
{
    [Fact]
    public void Argmax_is_the_first_largest_value_with_denormals_flushed()
    {
        string Check()
        {
            var random = new Random(1);
            for (int trial = 0; trial < 1000; trial++)
            {
                var values = Enumerable.Range(0, 2 + trial % 20).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
                values[trial % values.Length] = values.Max(); // a tie: the first index wins
                int expected = Array.IndexOf(values, values.Max());
                if (Argmax.Of(values) != expected)
                    return $"trial {trial}: {Argmax.Of(values)} instead of {expected}";
            }
            return "ok";
        }
        Assert.Equal("ok", Check());
        Assert.Equal("ok", Mlx.Estimators.Runtime.FlushDenormals.Run(Check));
    }
}
