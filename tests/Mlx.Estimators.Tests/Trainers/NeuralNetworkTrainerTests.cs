using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// The dense-network trainers learn on real data (held-out bars well above chance, stated per test), plug into
/// ML.NET's Evaluate / CrossValidate / MapKeyToValue / PredictionEngine, save and load in a new process, and are
/// deterministic with a seed.
/// </summary>
public class NeuralNetworkTrainerTests
{
    private static NeuralNetworkOptions Small(int epochs = 30) => new()
    {
        Layers = new Layer[] { Layer.Dense(16, Activation.Relu), Layer.Dense(16, Activation.Relu) },
        Epochs = epochs,
        BatchSize = 32,
        Seed = 7,
        Threads = 1,
    };

    [Fact]
    public void Binary_network_learns_breast_cancer_and_ML_NET_evaluates_it()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(Datasets.BreastCancer(ml), testFraction: 0.3, seed: 1);
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(Small()).Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        // Reference: ML.NET's L-BFGS logistic regression on the same split. A small MLP must be as good within 0.01 AUC / 0.03 accuracy.
        var reference = ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(split.TrainSet).Transform(split.TestSet));
        Assert.True(metrics.AreaUnderRocCurve > Math.Min(0.97, reference.AreaUnderRocCurve - 0.01), $"AUC {metrics.AreaUnderRocCurve} vs logistic regression {reference.AreaUnderRocCurve}");
        Assert.True(metrics.Accuracy > reference.Accuracy - 0.03, $"accuracy {metrics.Accuracy} vs logistic regression {reference.Accuracy}");
        Assert.Equal(30, model.History.Epochs.Count);
        Assert.True(model.History.Epochs[^1].Loss < model.History.Epochs[0].Loss / 2, "training loss must fall");
        Assert.Equal(30 * 16 + 16 + 16 * 16 + 16 + 16 + 1, model.ParameterCount);
    }

    [Fact]
    public void Multiclass_network_learns_wine_and_maps_keys_back_to_classes()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(Datasets.Wine(ml), testFraction: 0.3, seed: 2);
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(Small(40)).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var reference = ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(split.TrainSet).Transform(split.TestSet));
        Assert.True(metrics.MicroAccuracy > Math.Min(0.9, reference.MicroAccuracy - 0.03), $"accuracy {metrics.MicroAccuracy} vs maximum entropy {reference.MicroAccuracy}");
        Assert.Equal(new[] { "0", "1", "2" }, model.ClassNames!.OrderBy(c => c));
        var predicted = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(scored).Transform(scored)
            .GetColumn<string>("PredictedText").ToList();
        var truth = scored.GetColumn<string>("LabelText").ToList();
        Assert.True(predicted.Zip(truth, (p, t) => p == t).Count(x => x) > 0.9 * truth.Count);
        // Scores are probabilities.
        Assert.All(scored.GetColumn<float[]>("Score"), s => Assert.Equal(1.0, s.Sum(), 4));
    }

    [Fact]
    public void Regression_network_learns_diabetes_with_MAE_in_the_history()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(Datasets.Diabetes(ml), testFraction: 0.25, seed: 3);
        var options = Small(150);
        options.Optimizer = Optimizer.Adam(0.01);
        var model = ml.Regression.Trainers.NeuralNetwork(options).Fit(split.TrainSet);
        var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet));
        // Reference: ML.NET's SDCA linear regression on the same split (the mean predictor has R² ≈ 0).
        var reference = ml.Regression.Evaluate(ml.Regression.Trainers.Sdca().Fit(split.TrainSet).Transform(split.TestSet));
        Assert.True(metrics.RSquared > reference.RSquared - 0.05, $"R² {metrics.RSquared} vs linear {reference.RSquared}");
        Assert.True(metrics.RSquared > 0.4, $"R² {metrics.RSquared}");
        // Independent baseline: the constant predictor (the training mean) on the same test rows.
        var trainLabels = split.TrainSet.GetColumn<float>("Label").ToArray();
        var testLabels = split.TestSet.GetColumn<float>("Label").ToArray();
        double mean = trainLabels.Average(), constantMae = testLabels.Average(y => Math.Abs(y - mean));
        Assert.True(metrics.MeanAbsoluteError < 0.8 * constantMae, $"test MAE {metrics.MeanAbsoluteError} vs constant predictor {constantMae}");
        Assert.Equal("mae", model.History.MetricName);
        // The history's metric is the training MAE, recomputed here from the model's own predictions on the training rows
        // (the last epoch's running mean is taken while the weights still move: within 10 %).
        var trainMae = ml.Regression.Evaluate(model.Transform(split.TrainSet)).MeanAbsoluteError;
        Assert.Equal(trainMae, model.History.Epochs[^1].Metric, trainMae * 0.1);
    }

    [Fact]
    public void CrossValidate_runs_the_trainer_on_every_fold()
    {
        var ml = new MLContext(seed: 1);
        var folds = ml.BinaryClassification.CrossValidate(Datasets.BreastCancer(ml), ml.BinaryClassification.Trainers.NeuralNetwork(Small(15)), numberOfFolds: 3);
        Assert.Equal(3, folds.Count);
        Assert.All(folds, f => Assert.True(f.Metrics.AreaUnderRocCurve > 0.97, $"fold AUC {f.Metrics.AreaUnderRocCurve}"));
    }

    [Fact]
    public void Same_seed_same_network_and_a_new_process_predicts_identically()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.BreastCancer(ml);
        var a = ml.BinaryClassification.Trainers.NeuralNetwork(Small(5)).Fit(data);
        var b = ml.BinaryClassification.Trainers.NeuralNetwork(Small(5)).Fit(data);
        Assert.Equal(a.History.Epochs.Select(e => e.Loss), b.History.Epochs.Select(e => e.Loss));
        var scoresA = a.Transform(data).GetColumn<float>("Score").ToList();
        Assert.Equal(scoresA, b.Transform(data).GetColumn<float>("Score").ToList());

        var there = ModelRoundTrip.TransformInNewProcess(ml, a, data, Path.Combine(Path.GetTempPath(), $"mlx-nn-{Guid.NewGuid():N}"));
        Assert.Equal(scoresA, there.GetColumn<float>("Score").ToList());
        Assert.Equal(a.Transform(data).GetColumn<bool>("PredictedLabel").ToList(), there.GetColumn<bool>("PredictedLabel").ToList());
    }

    [Fact]
    public void Concurrent_trainings_with_one_seed_are_identical_dropout_included()
    {
        // Weights and dropout masks come from the run's own seed, not libtorch's process-wide generator.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(Datasets.BreastCancer(ml));
        var options = Small(4);
        options.Layers = new Layer[] { Layer.Dense(16, Activation.Relu), Layer.Dropout(0.5), Layer.Dense(16, Activation.Relu) };
        var histories = new double[4][];
        Parallel.For(0, 4, i => histories[i] = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data).History.Epochs.Select(e => e.Loss).ToArray());
        Assert.All(histories, h => Assert.Equal(histories[0], h));
    }

    [Fact]
    public void PredictionEngine_gives_the_transform_scores()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Diabetes(ml);
        var model = ml.Regression.Trainers.NeuralNetwork(Small(3)).Fit(data);
        var rows = ml.Data.CreateEnumerable<Row>(data, reuseRowObject: false).Take(5).ToList();
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model, inputSchemaDefinition: RowDefinition());
        var batch = model.Transform(data).GetColumn<float>("Score").Take(5).ToList();
        // A batch of 1,024 and a batch of one take different GEMM blockings: equal to float rounding (1e-6 relative).
        var single = rows.Select(r => engine.Predict(r).Score).ToList();
        for (int i = 0; i < 5; i++)
            Assert.True(Math.Abs(batch[i] - single[i]) <= 1e-6 * Math.Max(1, Math.Abs(batch[i])), $"row {i}: {single[i]} vs {batch[i]}");
    }

    private static SchemaDefinition RowDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 10);
        return definition;
    }

    public sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Label { get; set; }
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }
}
