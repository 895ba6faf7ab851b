// Convolutional networks on real data ("Deep Learning with Python", ch. 5 and 6):
// 1. Fashion-MNIST (10,000 training and 10,000 test images of 28x28, a subsample of the 60,000 to run in about a minute on
//    2 cores): the book's MNIST convnet against a dense network of similar size, test accuracy and curves of both;
// 2. Small data: 165 photos of 5 classes (tuxpaint), a convnet from scratch on 64x64 pixels, without and with on-the-fly
//    augmentation + dropout (new random variants every epoch): the overfitting curves and what augmentation buys;
// 3. Chicago "L" ridership (5,698 days): a 1-D convnet reading the last 28 days against the common-sense baseline
//    "same day last week", mean absolute error on the last 20 % of the days.
// Writes the history plots to out/convnets/.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.Shared;
using Mlx.Vision;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string outDir = RepositoryRoot.Combine("out", "convnets");
Directory.CreateDirectory(outDir);
string Data(params string[] parts) => RepositoryRoot.Combine(new[] { "examples", "data" }.Concat(parts).ToArray());
var progress = new Progress<TrainingProgress>(p =>
{
    if (p.EpochEnd is { } e)
        Console.WriteLine($"    epoch {e.Epoch,2}: loss {e.Loss:F4}, {e.Metric:F4}; validation {e.ValidationLoss:F4}, {e.ValidationMetric:F4} ({e.Seconds:F1} s)");
});

// 1. Fashion-MNIST.
var classes = File.ReadLines(Data("fashion_mnist", "classes.csv")).Skip(1).Select(l => l.Split(',')[1]).ToArray();
var train = Images(Data("fashion_mnist", "train10k-images-idx3-ubyte.gz"), Data("fashion_mnist", "train10k-labels-idx1-ubyte.gz"));
var test = Images(Data("fashion_mnist", "t10k-images-idx3-ubyte.gz"), Data("fashion_mnist", "t10k-labels-idx1-ubyte.gz"));
Console.WriteLine($"1. Fashion-MNIST: {train.Count:N0} training and {test.Count:N0} test images of 28x28, 10 classes ({string.Join(", ", classes.Take(4))}, ...)");
var toKey = ml.Transforms.Conversion.MapValueToKey("Label", "Class");
var trainView = toKey.Fit(View(train)).Transform(View(train));
var testView = toKey.Fit(View(train)).Transform(View(test));

var convnet = new NeuralNetworkOptions
{
    InputShape = new[] { 1, 28, 28 },
    Layers = new Layer[]
    {
        Layer.Conv2D(32, 3, Activation.Relu), Layer.MaxPool2D(2),
        Layer.Conv2D(64, 3, Activation.Relu), Layer.MaxPool2D(2),
        Layer.Conv2D(64, 3, Activation.Relu), Layer.Flatten(),
        Layer.Dense(64, Activation.Relu),
    },
    Optimizer = Optimizer.RmsProp(), Epochs = 5, BatchSize = 64, ValidationFraction = 0.2, Seed = 1, Progress = progress,
};
var dense = new NeuralNetworkOptions
{
    Layers = new Layer[] { Layer.Dense(128, Activation.Relu), Layer.Dense(64, Activation.Relu) },
    Optimizer = Optimizer.RmsProp(), Epochs = 5, BatchSize = 64, ValidationFraction = 0.2, Seed = 1, Progress = progress,
};
foreach (var (name, options) in new[] { ("convnet", convnet), ("dense network", dense) })
{
    Console.WriteLine($"\n  {name}:");
    var model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(trainView);
    Console.WriteLine(string.Join('\n', model.Summary().Split('\n').Select(l => "    " + l)));
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(testView));
    Console.WriteLine($"    test accuracy {metrics.MicroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
    model.History.SavePlot(Path.Combine(outDir, $"fashion-mnist-{name.Replace(' ', '-')}.png"));
}

// 2. Small data: a convnet from scratch on 165 photos, without and with augmentation.
var photoFolder = Data("tuxpaint_photos");
var photos = File.ReadLines(Path.Combine(photoFolder, "labels.csv")).Skip(1).Select(l => l.Split(','))
    .Select(f => new Photo { Path = Path.Combine(photoFolder, f[0]), Label = f[1] }).ToList();
Console.WriteLine($"\n2. Small data: {photos.Count} photos, 5 classes, 64x64 RGB, a convnet from scratch");
var pixelPipeline = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 64, 64))
    .Append(ml.Transforms.ExtractPixels("Features", "Image", scaleImage: 1f / 255)) // planar R, G, B planes: (3, 64, 64)
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"));
var photoView = ml.Data.LoadFromEnumerable(photos);
var photoSplit = ml.Data.TrainTestSplit(ml.Data.Cache(pixelPipeline.Fit(photoView).Transform(photoView), "Features", "Label"), testFraction: 0.25, seed: 3);
Layer[] SmallConvnet(bool dropout) => new Layer[]
{
    Layer.Conv2D(16, 3, Activation.Relu), Layer.MaxPool2D(2),
    Layer.Conv2D(32, 3, Activation.Relu), Layer.MaxPool2D(2),
    Layer.Conv2D(64, 3, Activation.Relu), Layer.MaxPool2D(2),
    Layer.Flatten(), Layer.Dropout(dropout ? 0.5 : 0), Layer.Dense(64, Activation.Relu),
};
var augmentation = new ImageBatchAugmentation(new ImageAugmentationOptions
    { RotationRange = 30, WidthShiftRange = 0.15f, HeightShiftRange = 0.15f, ZoomRange = 0.15f, HorizontalFlip = true, FillMode = FillMode.Reflect });
foreach (var (name, augment) in new[] { ("without augmentation", false), ("with augmentation + dropout", true) })
{
    var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
    {
        InputShape = new[] { 3, 64, 64 }, Layers = SmallConvnet(augment), Augmentation = augment ? augmentation : null,
        Optimizer = Optimizer.Adam(1e-3), Epochs = 40, BatchSize = 16, ValidationData = photoSplit.TestSet, Seed = 1,
    }).Fit(photoSplit.TrainSet);
    var last = model.History.Epochs[^1];
    double bestValidation = model.History.Epochs.Max(e => e.ValidationMetric ?? 0);
    Console.WriteLine($"  {name,-28} training accuracy {last.Metric:P0}, held-out accuracy {last.ValidationMetric:P1} after {last.Epoch} epochs " +
                      $"(best {bestValidation:P1}), {model.History.Epochs.Sum(e => e.Seconds):F0} s");
    model.History.SavePlot(Path.Combine(outDir, $"tuxpaint-{(augment ? "augmented" : "plain")}.png"));
}

// 3. Chicago ridership: a 1-D convnet over the last 28 days.
Console.WriteLine("\n3. Chicago 'L' ridership at Clark/Lake (thousands per day), predicted from the 28 days before");
var days = File.ReadLines(Data("chicago_ridership", "chicago.csv")).Skip(1)
    .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
const int window = 28;
int split = (int)(days.Length * 0.8);
double mean = days.Take(split).Average(), sd = Math.Sqrt(days.Take(split).Sum(d => (d - mean) * (d - mean)) / split);
var windows = Enumerable.Range(window, days.Length - window)
    .Select(t => new Series { History = days[(t - window)..t].Select(d => (float)((d - mean) / sd)).ToArray(), Label = (float)days[t], Day = t }).ToList();
var definition = SchemaDefinition.Create(typeof(Series));
definition["History"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, window);
var seriesTrain = ml.Data.LoadFromEnumerable(windows.Where(w => w.Day < split).ToList(), definition);
var seriesTest = ml.Data.LoadFromEnumerable(windows.Where(w => w.Day >= split).ToList(), definition);
var naive = windows.Where(w => w.Day >= split).Average(w => Math.Abs(days[w.Day - 7] - w.Label));
Console.WriteLine($"  {windows.Count(w => w.Day < split):N0} training days, {windows.Count(w => w.Day >= split):N0} test days (the last 20 %)");
var series = ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions
{
    FeatureColumnName = "History",
    InputShape = new[] { 1, window },
    Layers = new Layer[]
    {
        Layer.Conv1D(32, 7, Activation.Relu, padding: Padding.Same), Layer.MaxPool1D(2),
        Layer.Conv1D(32, 7, Activation.Relu, padding: Padding.Same), Layer.Flatten(), Layer.Dense(32, Activation.Relu),
    },
    Optimizer = Optimizer.Adam(1e-3), Epochs = 40, BatchSize = 32, ValidationFraction = 0.15, Seed = 1,
    EarlyStopping = new EarlyStopping { Patience = 5 },
}).Fit(seriesTrain);
var seriesMetrics = ml.Regression.Evaluate(series.Transform(seriesTest));
Console.WriteLine($"  1-D convnet: test MAE {seriesMetrics.MeanAbsoluteError:F2} thousand riders ({series.History.StopReason}); " +
                  $"common-sense baseline (same day last week): {naive:F2}");
series.History.SavePlot(Path.Combine(outDir, "chicago-ridership-conv1d.png"));

Console.WriteLine($"\nWrote the history plots to {Path.GetRelativePath(RepositoryRoot.Path, outDir)}/. Done in {clock.Elapsed.TotalSeconds:F0} s.");

static List<Image> Images(string imagesPath, string labelsPath)
{
    var (pixels, labels) = FashionMnist.Read(imagesPath, labelsPath);
    return pixels.Select((p, i) => new Image { Pixels = p, Class = labels[i] }).ToList();
}

IDataView View(List<Image> images)
{
    var schema = SchemaDefinition.Create(typeof(Image));
    schema["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 28 * 28);
    return ml.Transforms.CopyColumns("Features", "Pixels").Fit(ml.Data.LoadFromEnumerable(images, schema)).Transform(ml.Data.LoadFromEnumerable(images, schema));
}

internal sealed class Image
{
    public float[] Pixels { get; set; } = [];
    public uint Class { get; set; }
}

internal sealed class Photo
{
    public string Path { get; set; } = "";
    public string Label { get; set; } = "";
}

internal sealed class Series
{
    public float[] History { get; set; } = [];
    public float Label { get; set; }
    public int Day { get; set; }
}
