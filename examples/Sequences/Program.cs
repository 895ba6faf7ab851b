// Sequences and text (Deep Learning with Python, ch. 6) on real data:
// 1. Review sentiment (4,000 + 1,000 Amazon fine-food reviews): VectorizeText (Keras' TextVectorization) as a bag of
//    words (multi-hot unigrams + bigrams, 10,000 tokens) → a dense network, and the hashing trick; then as token-id
//    sequences → Embedding → LSTM, → bidirectional LSTM, and → a 1-D convnet; test accuracy and AUC, history plots.
// 2. Temperature forecasting (Chicago, 5,698 days): windows of the last 14 days of 8 weather columns, tomorrow's mean
//    temperature; the common-sense baseline (same as today) vs dense vs 1-D convnet vs GRU vs GRU with recurrent
//    dropout vs stacked GRUs vs a bidirectional GRU: the book's table of test MAE in °F.
// 3. Pretrained embeddings: the LSTM's trained embedding written as a GloVe text file, read back for the vocabulary
//    with EmbeddingWeights.FromGloveFile and used frozen by a new network (no download is possible here; the round
//    trip is the one a real glove.6B.100d.txt takes).
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

// The same reviews as sequences of token ids: the 10,000 most frequent words, the first 200 of each review (padding 0
// at the end, masked by the embedding so the recurrent layers skip it).
var sequences = new TextVectorizationOptions { OutputMode = TextOutputMode.Int, MaxTokens = 10_000, SequenceLength = 200 };
var vectorizeIds = ml.Transforms.Text.VectorizeText("Features", "Review", sequences).Fit(train);
var ids = vectorizeIds.Transform(train);
int embeddingRows = vectorizeIds.TokensById.Count;
NeuralNetworkModel? lstm = null;
foreach (var (name, layers) in new (string, Layer[])[]
{
    ("Embedding 32 → LSTM 32", [Layer.Embedding(embeddingRows, 32, maskZero: true), Layer.Lstm(32)]),
    ("Embedding 32 → bidirectional LSTM 16", [Layer.Embedding(embeddingRows, 32, maskZero: true), Layer.Bidirectional(Layer.Lstm(16)), Layer.Dropout(0.5)]),
    ("Embedding 32 → 1-D convnet 32-32", [Layer.Embedding(embeddingRows, 32), Layer.Conv1D(32, 7, Activation.Relu), Layer.MaxPool1D(5), Layer.Conv1D(32, 7, Activation.Relu), Layer.GlobalMaxPool1D()]),
})
{
    var options = new NeuralNetworkOptions
    {
        Layers = layers, Epochs = 8, BatchSize = 64, Seed = 1, ValidationFraction = 0.2, EarlyStopping = new EarlyStopping { Patience = 2 },
        Progress = new Progress<TrainingProgress>(p => Console.Write($"\r    epoch {p.Epoch}/{p.Epochs}, batch {p.Batch}/{p.Batches}: loss {p.Loss:F3}   ")),
    };
    var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(ids);
    var metrics = ml.BinaryClassification.Evaluate(model.Transform(vectorizeIds.Transform(test)));
    Console.WriteLine($"\r  {name,-36} test accuracy {metrics.Accuracy:P1}, AUC {metrics.AreaUnderRocCurve:F3} ({model.Model.History.Epochs.Count} epochs)");
    model.Model.History.SavePlot(Path.Combine(outDir, $"sentiment-{(lstm is null ? "lstm" : layers[1] is BidirectionalLayer ? "bidirectional" : "conv1d")}.png"));
    lstm ??= model.Model;
}

// 2. Time series: windows, a baseline every model must beat, then dense, convolutional and recurrent networks.
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
// Recurrent layers end in tanh-bounded outputs, and the output layer must scale them to °F: they train with a 3x higher
// learning rate (at 1e-3 a GRU had not caught up with the dense network after 40 epochs; Adam at 1e-2 collapsed the stacked GRUs).
foreach (var (name, layers, shape, learningRate) in new (string, Layer[], int[]?, double)[]
{
    ("dense network 32", [Layer.Dense(32, Activation.Relu)], null, 1e-3),
    ("1-D convnet 16-16", [Layer.Conv1D(16, 5, Activation.Relu), Layer.MaxPool1D(2), Layer.Conv1D(16, 3, Activation.Relu), Layer.GlobalAveragePool1D()], windows.InputShape, 1e-3),
    ("GRU 32", [Layer.Gru(32)], windows.InputShape, 3e-3),
    ("GRU 32, recurrent dropout 0.2", [Layer.Gru(32, recurrentDropout: 0.2)], windows.InputShape, 3e-3),
    ("stacked GRU 32 → GRU 32, rec. dropout", [Layer.Gru(32, returnSequences: true, recurrentDropout: 0.2), Layer.Gru(32, recurrentDropout: 0.2)], windows.InputShape, 3e-3),
    ("bidirectional GRU 16", [Layer.Bidirectional(Layer.Gru(16))], windows.InputShape, 3e-3),
    ("LSTM 32", [Layer.Lstm(32)], windows.InputShape, 3e-3),
})
{
    var options = new NeuralNetworkOptions
    {
        Layers = layers, InputShape = shape, Epochs = 40, BatchSize = 64, Seed = 1, Optimizer = Optimizer.RmsProp(learningRate),
        ValidationData = scale.Transform(windows.Validation), EarlyStopping = new EarlyStopping { Patience = 5 },
    };
    var model = ml.Regression.Trainers.NeuralNetwork(options).Fit(scale.Transform(windows.Train));
    var metrics = ml.Regression.Evaluate(model.Transform(scale.Transform(windows.Test)));
    Console.WriteLine($"  {name,-36} test MAE {metrics.MeanAbsoluteError:F2} °F ({model.History.StopReason})");
    model.History.SavePlot(Path.Combine(outDir, $"temperature-{string.Concat(name.Where(char.IsAsciiLetterOrDigit)).ToLowerInvariant()}.png"));
}

// 3. Pretrained word vectors: the LSTM's embedding as a GloVe text file, read back for the vocabulary, frozen.
string glove = Path.Combine(outDir, "review-embedding.32d.txt");
lstm!.EmbeddingWeights().WriteGloveFile(glove, vectorizeIds.TokensById);
var pretrained = EmbeddingWeights.FromGloveFile(glove, vectorizeIds.TokensById);
Console.WriteLine($"\n3. Pretrained embeddings: wrote {File.ReadLines(glove).Count():N0} vectors of {pretrained.Dimension} to {Path.GetFileName(glove)} (GloVe's format); " +
                  $"read back for the {embeddingRows:N0} ids, {pretrained.MissingTokens} without a vector (those rows would start at zero, as in the book)");
var frozen = new NeuralNetworkOptions
{
    Layers = [Layer.Embedding(embeddingRows, pretrained.Dimension, maskZero: true, trainable: false, weights: pretrained), Layer.Lstm(32)],
    Epochs = 4, BatchSize = 64, Seed = 2,
};
var reused = ml.BinaryClassification.Trainers.NeuralNetwork(frozen).Fit(ids);
var reusedMetrics = ml.BinaryClassification.Evaluate(reused.Transform(vectorizeIds.Transform(test)));
Console.WriteLine($"  {"frozen pretrained Embedding → LSTM 32",-36} test accuracy {reusedMetrics.Accuracy:P1}, AUC {reusedMetrics.AreaUnderRocCurve:F3} (4 epochs, embedding not trained)");
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
