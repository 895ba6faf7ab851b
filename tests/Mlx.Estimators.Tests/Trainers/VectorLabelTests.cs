using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// Multilabel and vector-regression networks learn on real data, and their evaluation helpers agree with an
/// independent computation (by hand from the scored rows; per output with ML.NET's regression evaluator).
/// </summary>
public class VectorLabelTests
{
    private static NeuralNetworkOptions Options(int epochs) => new()
    {
        Layers = new Layer[] { Layer.Dense(32, Activation.Relu) },
        Epochs = epochs,
        Seed = 5,
        Threads = 1,
        Optimizer = Optimizer.Adam(0.005),
    };

    [Fact]
    public void Multilabel_network_learns_two_labels_and_its_metrics_match_a_hand_count()
    {
        var ml = new MLContext(seed: 1);
        // breast_cancer with two labels: benign, and a large tumour (mean radius above the median).
        var table = CsvTable.Load(RepoPaths.SklearnGolden("breast_cancer.csv"));
        var features = table.Header.Where(h => h != "target" && h != "mean_radius" && h != "mean_perimeter" && h != "mean_area").ToArray();
        var x = table.Numeric(features);
        var radius = table.Numeric(new[] { "mean_radius" }).Select(r => r[0]).ToArray();
        double median = radius.Order().ElementAt(radius.Length / 2);
        var benign = table.Numeric(new[] { "target" }).Select(r => r[0] > 0.5).ToArray();
        var rows = x.Select((r, i) => new MultilabelRow { Features = r.Select(v => (float)v).ToArray(), Label = new[] { benign[i], radius[i] > median } }).ToList();
        var definition = SchemaDefinition.Create(typeof(MultilabelRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features.Length);
        definition["Label"].ColumnType = new VectorDataViewType(BooleanDataViewType.Instance, 2);
        var data = ml.Transforms.NormalizeMeanVariance("Features", fixZero: false).Fit(ml.Data.LoadFromEnumerable(rows, definition)).Transform(ml.Data.LoadFromEnumerable(rows, definition));
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 4);

        var model = ml.MulticlassClassification.Trainers.MultilabelNeuralNetwork(Options(60)).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        var metrics = ml.MulticlassClassification.EvaluateMultilabel(scored);

        var truth = scored.GetColumn<bool[]>("Label").ToList();
        var predicted = scored.GetColumn<bool[]>("PredictedLabel").ToList();
        var probabilities = scored.GetColumn<float[]>("Probability").ToList();
        double subset = truth.Zip(predicted, (t, p) => t.SequenceEqual(p) ? 1.0 : 0.0).Average();
        double hamming = truth.Zip(predicted, (t, p) => t.Zip(p, (a, b) => a != b ? 1.0 : 0.0).Sum()).Sum() / (truth.Count * 2);
        Assert.Equal(subset, metrics.SubsetAccuracy, 12);
        Assert.Equal(hamming, metrics.HammingLoss, 12);
        for (int j = 0; j < 2; j++)
        {
            int tp = truth.Zip(predicted, (t, p) => t[j] && p[j] ? 1 : 0).Sum(), fp = truth.Zip(predicted, (t, p) => !t[j] && p[j] ? 1 : 0).Sum(), fn = truth.Zip(predicted, (t, p) => t[j] && !p[j] ? 1 : 0).Sum();
            Assert.Equal(2.0 * tp / (2 * tp + fp + fn), metrics.PerLabel[j].F1, 12);
        }
        Assert.All(probabilities.Zip(predicted), pair => Assert.Equal(pair.First.Select(p => p > 0.5f), pair.Second));
        // Learned: both labels are predictable from the other features (logistic regression reaches ~0.95 on each).
        Assert.All(metrics.PerLabel, l => Assert.True(l.Accuracy > 0.88, $"label {l.Name}: accuracy {l.Accuracy}"));
        Assert.True(metrics.SubsetAccuracy > 0.8, $"subset accuracy {metrics.SubsetAccuracy}");
    }

    [Fact]
    public void Vector_regression_learns_two_targets_and_its_metrics_match_ML_NET_per_output()
    {
        var ml = new MLContext(seed: 1);
        var table = CsvTable.Load(RepoPaths.Combine("examples", "data", "boston_housing", "boston.csv"));
        var header = table.Header.Select(h => h.Trim('"')).ToArray();
        string[] targets = { "medv", "lstat" };
        var featureNames = header.Where(h => !targets.Contains(h)).ToArray();
        double[] Column(string name) => table.Rows.Select(r => double.Parse(r[Array.IndexOf(header, name)], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var columns = featureNames.Select(Column).ToArray();
        var medv = Column("medv");
        var lstat = Column("lstat");
        var rows = Enumerable.Range(0, medv.Length).Select(i => new VectorRow
        {
            Features = columns.Select(c => (float)c[i]).ToArray(),
            Label = new[] { (float)medv[i], (float)lstat[i] },
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureNames.Length);
        definition["Label"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        var raw = ml.Data.LoadFromEnumerable(rows, definition);
        var data = ml.Transforms.NormalizeMeanVariance("Features", fixZero: false).Fit(raw).Transform(raw);
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 6);

        var options = Options(150);
        options.Layers = new Layer[] { Layer.Dense(64, Activation.Relu), Layer.Dense(64, Activation.Relu) };
        options.BatchSize = 16;
        var model = ml.Regression.Trainers.VectorNeuralNetwork(options).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        var metrics = ml.Regression.EvaluateVector(scored);

        var labels = scored.GetColumn<float[]>("Label").ToList();
        var scores = scored.GetColumn<float[]>("Score").ToList();
        for (int j = 0; j < 2; j++)
        {
            var single = ml.Data.LoadFromEnumerable(labels.Zip(scores, (l, s) => new ScalarRow { Label = l[j], Score = s[j] }));
            var reference = ml.Regression.Evaluate(single);
            Assert.Equal(reference.MeanAbsoluteError, metrics.PerOutput[j].MeanAbsoluteError, 4);
            Assert.Equal(reference.RootMeanSquaredError, metrics.PerOutput[j].RootMeanSquaredError, 4);
            Assert.Equal(reference.RSquared, metrics.PerOutput[j].RSquared, 4);
            Assert.True(metrics.PerOutput[j].RSquared > 0.6, $"{targets[j]}: R² {metrics.PerOutput[j].RSquared}");
        }
        Assert.Equal("mae", model.History.MetricName);
    }

    public sealed class MultilabelRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public bool[] Label { get; set; } = Array.Empty<bool>();
    }

    public sealed class VectorRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float[] Label { get; set; } = Array.Empty<float>();
    }

    public sealed class ScalarRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }
}
