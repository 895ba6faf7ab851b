// Sequences and text (Deep Learning with Python, ch. 6) on real data, with the parts built so far:
// 1. Review sentiment (4,000 + 1,000 Amazon fine-food reviews): VectorizeText (Keras' TextVectorization: multi-hot
//    unigrams + bigrams, 10,000 tokens) → a dense network; test accuracy and AUC; the same with the hashing trick.
// 2. Temperature forecasting (Chicago, 5,698 days): windows of the last 14 days of 8 weather columns, tomorrow's mean
//    temperature; the common-sense baseline (same as today) vs a dense network vs a 1-D convnet, test MAE in °F.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualBasic.FileIO;
using Mlx.Estimators;
using Mlx.FeatureEngineering;
using Mlx.Shared;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string outDir = RepositoryRoot.Combine("out", "sequences");
Directory.CreateDirectory(outDir);

// 1. Text: Keras' TextVectorization in an ML.NET pipeline.
var reviews = RepositoryRoot.Combine("examples", "data", "fine_food_reviews");
var train = ml.Data.LoadFromEnumerable(ReadReviews(Path.Combine(reviews, "train.csv")));
var test = ml.Data.LoadFromEnumerable(ReadReviews(Path.Combine(reviews, "test.csv")));
Console.WriteLine("1. Review sentiment: 4,000 training and 1,000 test reviews (great = 5 stars)");
foreach (var (name, options) in new[]
{
    ("multi-hot 1-2-grams, 10,000 tokens", new TextVectorizationOptions { OutputMode = TextOutputMode.MultiHot, NGrams = 2, MaxTokens = 10_000 }),
    ("hashing trick, 10,000 buckets", new TextVectorizationOptions { OutputMode = TextOutputMode.Hashed, NGrams = 2, HashBuckets = 10_000 }),
})
{
    var network = new NeuralNetworkOptions
    {
        Layers = [Layer.Dense(16, Activation.Relu), Layer.Dropout(0.5), Layer.Dense(16, Activation.Relu)],
        Epochs = 10, BatchSize = 128, Seed = 1, ValidationFraction = 0.2, EarlyStopping = new EarlyStopping { Patience = 2 },
    };
    var model = ml.Transforms.Text.VectorizeText("Features", "Review", options)
        .Append(ml.BinaryClassification.Trainers.NeuralNetwork(network)).Fit(train);
    var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
    var vectorizer = ((IEnumerable<ITransformer>)model).OfType<TextVectorizationTransformer>().Single();
    Console.WriteLine($"  {name,-36} test accuracy {metrics.Accuracy:P1}, AUC {metrics.AreaUnderRocCurve:F3}" +
                      (vectorizer.Vocabulary.Count > 0 ? $" (most frequent: {string.Join(", ", vectorizer.Vocabulary.Take(6).Select(t => $"'{t}'"))})" : ""));
    var history = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkModel>().Single().History;
    history.SavePlot(Path.Combine(outDir, $"sentiment-{options.OutputMode.ToString().ToLowerInvariant()}.png"));
}

// 2. Time series: windows, a baseline every model must beat, a dense network and a 1-D convnet.
var weather = ml.Data.LoadFromTextFile(RepositoryRoot.Combine("examples", "data", "chicago_ridership", "chicago.csv"), new TextLoader.Options
{
    HasHeader = true, Separators = [','], AllowQuoting = true,
    Columns = [.. new[] { ("temp_min", 22), ("temp", 23), ("temp_max", 24), ("dew", 26), ("humidity", 27), ("pressure", 28), ("wind", 30), ("percip", 34) }
        .Select(c => new TextLoader.Column(c.Item1, DataKind.Single, c.Item2))],
});
string[] columns = ["temp_min", "temp", "temp_max", "dew", "humidity", "pressure", "wind", "percip"];
var windows = ml.Data.CreateTimeSeriesWindows(weather, columns, "temp", lookback: 14, delay: 1, trainFraction: 0.5, validationFraction: 0.25);
Console.WriteLine($"\n2. Chicago daily weather: tomorrow's mean temperature from the last {windows.Timesteps} days of {columns.Length} columns " +
                  $"({windows.Count(TimeSeriesSplit.Train):N0} / {windows.Count(TimeSeriesSplit.Validation):N0} / {windows.Count(TimeSeriesSplit.Test):N0} windows, in time order)");
double naive = NaiveForecast.LastValue(windows, TimeSeriesSplit.Test);
Console.WriteLine($"  {"common sense: tomorrow = today",-36} test MAE {naive:F2} °F");
var scale = ml.Transforms.NormalizeMeanVariance("Features").Fit(windows.Train);
foreach (var (name, layers, shape) in new (string, Layer[], int[]?)[]
{
    ("dense network 32", [Layer.Dense(32, Activation.Relu)], null),
    ("1-D convnet 16-16", [Layer.Conv1D(16, 5, Activation.Relu), Layer.MaxPool1D(2), Layer.Conv1D(16, 3, Activation.Relu), Layer.GlobalAveragePool1D()], windows.InputShape),
})
{
    var options = new NeuralNetworkOptions
    {
        Layers = layers, InputShape = shape, Epochs = 40, BatchSize = 64, Seed = 1, Optimizer = Optimizer.RmsProp(1e-3),
        ValidationData = scale.Transform(windows.Validation), EarlyStopping = new EarlyStopping { Patience = 5 },
    };
    var model = ml.Regression.Trainers.NeuralNetwork(options).Fit(scale.Transform(windows.Train));
    var metrics = ml.Regression.Evaluate(model.Transform(scale.Transform(windows.Test)));
    Console.WriteLine($"  {name,-36} test MAE {metrics.MeanAbsoluteError:F2} °F ({model.History.StopReason})");
    model.History.SavePlot(Path.Combine(outDir, $"temperature-{name.Split(' ')[0].ToLowerInvariant()}.png"));
}
Console.WriteLine($"\nWrote the history plots to {Path.GetRelativePath(RepositoryRoot.Path, outDir)}/. Done in {clock.Elapsed.TotalSeconds:F0} s.");

// The reviews are CSV with quoted, escaped text: .NET's TextFieldParser reads it as written.
static List<ReviewRow> ReadReviews(string path)
{
    using var parser = new TextFieldParser(path) { HasFieldsEnclosedInQuotes = true };
    parser.SetDelimiters(",");
    parser.ReadFields();
    var rows = new List<ReviewRow>();
    while (parser.ReadFields() is { } fields)
        rows.Add(new ReviewRow { Review = fields[1], Label = fields[2] == "great" });
    return rows;
}

internal sealed class ReviewRow
{
    public string Review { get; set; } = "";
    public bool Label { get; set; }
}
