// Dense networks on real data, the three classic examples of "Deep Learning with Python" (ch. 3):
// 1. binary: sentiment of 3,000 review sentences, bag of the 10,000 most frequent words -> 16 -> 16 -> 1;
// 2. multiclass: Reuters newswires (corn / grain / other), class-weighted for the imbalance;
// 3. regression: Boston housing prices with 4-fold validation, mean MAE over folds.
// Each prints its training history and writes the loss/metric curves as PNG to out/neural-networks/.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using Mlx.Estimators;
using Mlx.Shared;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string outDir = RepositoryRoot.Combine("out", "neural-networks");
Directory.CreateDirectory(outDir);
string Data(params string[] parts) => RepositoryRoot.Combine(new[] { "examples", "data" }.Concat(parts).ToArray());
var progress = new Progress<TrainingProgress>(p =>
{
    if (p.EpochEnd is { } e && (e.Epoch % 5 == 0 || e.Epoch == 1))
        Console.WriteLine($"    epoch {e.Epoch,3}: loss {e.Loss:F4}, val_loss {e.ValidationLoss:F4}, val_metric {e.ValidationMetric:F4}");
});

// Bag of words over the 10,000 most frequent words (counts), as the book's vectorize_sequences.
TextFeaturizingEstimator.Options BagOfWords() => new()
{
    WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, MaximumNgramsCount = new[] { 10_000 } },
    CharFeatureExtractor = null,
    Norm = TextFeaturizingEstimator.NormFunction.None,
    KeepPunctuations = false,
    KeepNumbers = false,
};

// 1. Binary: sentiment sentences.
Console.WriteLine("1. Sentiment of review sentences (IMDB, Amazon, Yelp; 3,000 sentences), bag of words -> 16 -> 16 -> 1");
var sentences = new[] { "imdb", "amazon", "yelp" }
    .Select(f => ml.Data.LoadFromTextFile<Sentence>(Data("sentiment_sentences", f + ".csv"), separatorChar: ',', hasHeader: true, allowQuoting: true))
    .SelectMany(view => ml.Data.CreateEnumerable<Sentence>(view, reuseRowObject: false)).ToList();
var sentenceData = ml.Data.ShuffleRows(ml.Data.LoadFromEnumerable(sentences), seed: 1);
var sentenceSplit = ml.Data.TrainTestSplit(sentenceData, testFraction: 0.2, seed: 1);
var binaryOptions = new NeuralNetworkOptions
{
    Layers = new Layer[] { Layer.Dense(16, Activation.Relu), Layer.Dense(16, Activation.Relu) },
    Epochs = 20, BatchSize = 64, ValidationFraction = 0.2, Seed = 1, Progress = progress,
    EarlyStopping = new EarlyStopping { Patience = 3, RestoreBestWeights = true },
};
var binary = ml.Transforms.Text.FeaturizeText("Features", BagOfWords(), nameof(Sentence.Text))
    .Append(ml.Transforms.Conversion.ConvertType("Label", nameof(Sentence.Positive), DataKind.Boolean))
    .Append(ml.BinaryClassification.Trainers.NeuralNetwork(binaryOptions));
var binaryModel = binary.Fit(sentenceSplit.TrainSet);
var network = binaryModel.LastTransformer;
var binaryMetrics = ml.BinaryClassification.Evaluate(binaryModel.Transform(sentenceSplit.TestSet));
Console.WriteLine($"  {network.FeatureSize:N0} words, {network.ParameterCount:N0} weights; {network.History.StopReason}, weights of epoch {network.History.RestoredEpoch}");
Console.WriteLine($"  held-out test: accuracy {binaryMetrics.Accuracy:P1}, AUC {binaryMetrics.AreaUnderRocCurve:F3}");
network.History.SavePlot(Path.Combine(outDir, "sentiment-history.png"));

// 2. Multiclass: Reuters newswires.
Console.WriteLine("\n2. Reuters newswires: corn / grain / other (1,554 training, 604 test wires), bag of words -> 64 -> 64 -> 3");
// The wires span several lines inside their quotes.
var csv = new TextLoader.Options { Separators = new[] { ',' }, HasHeader = true, AllowQuoting = true, ReadMultilines = true };
var wiresTrain = ml.Data.LoadFromTextFile<Wire>(Data("reuters_grain_corn", "train.csv"), csv);
var wiresTest = ml.Data.LoadFromTextFile<Wire>(Data("reuters_grain_corn", "test.csv"), csv);
var topics = ml.Data.CreateEnumerable<Wire>(wiresTrain, reuseRowObject: false).GroupBy(w => w.Topic).ToDictionary(g => g.Key, g => g.Count());
var featurizeWires = ml.Transforms.Text.FeaturizeText("Features", BagOfWords(), nameof(Wire.Text))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(Wire.Topic)))
    .Fit(wiresTrain);
var keyOrder = featurizeWires.Transform(wiresTrain).Schema["Label"];
var names = default(VBuffer<ReadOnlyMemory<char>>);
keyOrder.GetKeyValues(ref names);
// Class weights inversely proportional to class frequency (Keras' class_weight), so 45 corn wires count as much as 1,450 others.
var classWeights = names.DenseValues().Select((n, i) => (i, w: (double)topics.Values.Sum() / (topics.Count * topics[n.ToString()]))).ToDictionary(x => x.i, x => x.w);
var multiclassOptions = new NeuralNetworkOptions
{
    Layers = new Layer[] { Layer.Dense(64, Activation.Relu), Layer.Dropout(0.3), Layer.Dense(64, Activation.Relu) },
    Epochs = 15, BatchSize = 64, ValidationFraction = 0.2, Seed = 1, ClassWeights = classWeights, Progress = progress,
    EarlyStopping = new EarlyStopping { Patience = 2, RestoreBestWeights = true },
};
var multiclassModel = featurizeWires.Append(ml.MulticlassClassification.Trainers.NeuralNetwork(multiclassOptions).Fit(featurizeWires.Transform(ml.Data.ShuffleRows(wiresTrain, seed: 2))));
var wireMetrics = ml.MulticlassClassification.Evaluate(multiclassModel.Transform(wiresTest));
Console.WriteLine($"  class weights: {string.Join(", ", classWeights.Select(kv => $"{names.GetItemOrDefault(kv.Key)} {kv.Value:F2}"))}");
Console.WriteLine($"  held-out test: accuracy {wireMetrics.MicroAccuracy:P1}, macro accuracy {wireMetrics.MacroAccuracy:P1}, log-loss {wireMetrics.LogLoss:F3}");
Console.WriteLine($"  per-class recall: {string.Join(", ", wireMetrics.PerClassLogLoss.Select((_, i) => $"{names.GetItemOrDefault(i)} {Recall(wireMetrics.ConfusionMatrix, i):P0}"))}");
multiclassModel.LastTransformer.History.SavePlot(Path.Combine(outDir, "reuters-history.png"));

// 3. Regression: Boston housing, 4-fold validation.
Console.WriteLine("\n3. Boston housing prices (506 tracts, 13 features), 64 -> 64 -> 1, 4-fold validation");
var boston = ml.Data.LoadFromTextFile<House>(Data("boston_housing", "boston.csv"), separatorChar: ',', hasHeader: true);
var features = new[] { "crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax", "ptratio", "black", "lstat" };
var regressionOptions = new NeuralNetworkOptions
{
    Layers = new Layer[] { Layer.Dense(64, Activation.Relu), Layer.Dense(64, Activation.Relu) },
    Epochs = 80, BatchSize = 16, Seed = 1, LabelColumnName = "medv", Optimizer = Optimizer.RmsProp(),
};
var regression = ml.Transforms.Concatenate("Features", features)
    .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false)) // fitted per fold, on the training folds only
    .Append(ml.Regression.Trainers.NeuralNetwork(regressionOptions));
var folds = ml.Regression.CrossValidate(ml.Data.ShuffleRows(boston, seed: 3), regression, numberOfFolds: 4, labelColumnName: "medv");
Console.WriteLine($"  MAE per fold: {string.Join(", ", folds.Select(f => f.Metrics.MeanAbsoluteError.ToString("F2")))} ($1000s); mean {folds.Average(f => f.Metrics.MeanAbsoluteError):F2}, " +
                  $"RMSE {folds.Average(f => f.Metrics.RootMeanSquaredError):F2}, R² {folds.Average(f => f.Metrics.RSquared):F3}");
folds[0].Model.LastTransformer().History.SavePlot(Path.Combine(outDir, "boston-history-fold1.png"));
Console.WriteLine($"\nWrote the history plots to {Path.GetRelativePath(RepositoryRoot.Path, outDir)}/. Done in {clock.Elapsed.TotalSeconds:F0} s.");

static double Recall(ConfusionMatrix m, int c) => m.Counts[c][c] / Math.Max(1, m.Counts[c].Sum());

internal sealed class Sentence
{
    [LoadColumn(0)] public string Text { get; set; } = "";
    [LoadColumn(1)] public float Positive { get; set; }
}

internal sealed class Wire
{
    [LoadColumn(0)] public string Text { get; set; } = "";
    [LoadColumn(3)] public string Topic { get; set; } = "";
}

internal sealed class House
{
    [LoadColumn(0)] public float crim { get; set; }
    [LoadColumn(1)] public float zn { get; set; }
    [LoadColumn(2)] public float indus { get; set; }
    [LoadColumn(3)] public float chas { get; set; }
    [LoadColumn(4)] public float nox { get; set; }
    [LoadColumn(5)] public float rm { get; set; }
    [LoadColumn(6)] public float age { get; set; }
    [LoadColumn(7)] public float dis { get; set; }
    [LoadColumn(8)] public float rad { get; set; }
    [LoadColumn(9)] public float tax { get; set; }
    [LoadColumn(10)] public float ptratio { get; set; }
    [LoadColumn(11)] public float black { get; set; }
    [LoadColumn(12)] public float lstat { get; set; }
    [LoadColumn(13)] public float medv { get; set; }
}

internal static class ModelExtensions
{
    public static NeuralNetworkModel LastTransformer(this ITransformer model) =>
        model as NeuralNetworkModel ?? ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkModel>().Last();
}
