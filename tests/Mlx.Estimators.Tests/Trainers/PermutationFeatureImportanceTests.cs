using Microsoft.ML;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>ML.NET's permutation feature importance runs on a network and finds the features that matter.</summary>
public class PermutationFeatureImportanceTests
{
    [Fact]
    public void PFI_ranks_features_like_it_does_for_logistic_regression()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.BreastCancer(ml);
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(16, Activation.Relu) }, Epochs = 30, Seed = 2, Threads = 1 };
        var network = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
        var importance = ml.BinaryClassification.PermutationFeatureImportance(network, data, permutationCount: 2);
        Assert.Equal(30, importance.Length);
        var drops = importance.Select(m => -m.AreaUnderRocCurve.Mean).ToArray();
        var top = Enumerable.Range(0, 30).OrderByDescending(j => drops[j]).Take(3).ToArray();
        // The most important feature costs AUC well above the permutation noise of the others (median |drop|).
        double noise = drops.Select(Math.Abs).Order().ElementAt(drops.Length / 2);
        Assert.True(drops[top[0]] > 0.002 && drops[top[0]] > 5 * noise, $"top drop {drops[top[0]]}, median |drop| {noise}");

        // Independent reference: the same analysis of ML.NET's logistic regression ranks overlapping features.
        var linear = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(data);
        var reference = ml.BinaryClassification.PermutationFeatureImportance(linear, data, permutationCount: 2);
        var referenceTop = Enumerable.Range(0, 30).OrderBy(j => reference[j].AreaUnderRocCurve.Mean).Take(8).ToHashSet();
        Assert.Contains(top, j => referenceTop.Contains(j));
    }
}
