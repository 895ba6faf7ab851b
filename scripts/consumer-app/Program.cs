// The throw-away application of scripts/consumer-app-check.sh: it references the Mlx packages as a user would.
//   ConsumerApp train <folder>: fits a pipeline using the packages, and the workflow on the same CSV, saves them with their scores;
//   ConsumerApp load <folder>: loads the saved models in a new process and checks the scores are identical.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.FeatureEngineering;
using Mlx.Vision;
using Mlx.Workflow;

string mode = args[0], folder = args[1];
var ml = new MLContext(seed: 1);
var wine = ml.Data.LoadFromTextFile<Wine>(Path.Combine(folder, "wine.csv"), separatorChar: ',', hasHeader: true);
var photos = ml.Data.LoadFromEnumerable(Directory.GetFiles(Path.Combine(folder, "photos")).Order().Select(p => new Photo { Path = p }).ToList());
string tabularPath = Path.Combine(folder, "tabular.zip"), imagePath = Path.Combine(folder, "images.zip"), workflowPath = Path.Combine(folder, "workflow.zip");
var wineCsv = CsvDataset.Load(ml, Path.Combine(folder, "wine.csv")).Data;                                 // Mlx.Workflow

if (mode == "train")
{
    var pipeline = ml.Transforms.NormalizeYeoJohnson("Power", "Features", standardize: true)           // Mlx.FeatureEngineering
        .Append(ml.Transforms.Discretize("Bins", "Features", binCount: 4, strategy: BinningStrategy.KMeans))
        .Append(ml.Transforms.Concatenate("Inputs", "Power", "Bins"))
        .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
        .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions       // Mlx.Estimators
        {
            FeatureColumnName = "Inputs", Layers = new Layer[] { Layer.Dense(16, Activation.Relu) }, Epochs = 30, BatchSize = 16, Seed = 1,
        }));
    var tabular = pipeline.Fit(wine);
    var metrics = ml.MulticlassClassification.Evaluate(tabular.Transform(wine));
    Console.WriteLine($"  wine network: training accuracy {metrics.MicroAccuracy:P1}");
    if (metrics.MicroAccuracy < 0.9)
        throw new InvalidOperationException($"the network did not learn (accuracy {metrics.MicroAccuracy:P1})");
    ml.Model.Save(tabular, wine.Schema, tabularPath);

    var images = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 224, 224))
        .Append(ml.Transforms.FeaturizeImage("ImageFeatures", "Image"))                                  // Mlx.Vision, bundled ResNet18
        .Fit(photos);
    ml.Model.Save(images, photos.Schema, imagePath);
    var workflow = new WorkflowRunner(ml).Run(wineCsv, "target", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(15), Seed = 1 });
    Console.WriteLine($"  workflow: {workflow.Report.Task}, test {workflow.Report.Metric} {workflow.Report.Test:0.###} (baseline {workflow.Report.Baseline:0.###}), chosen {workflow.Report.Chosen}");
    if (!workflow.Report.BeatsBaseline)
        throw new InvalidOperationException("the workflow's model does not beat its baseline");
    workflow.Model.Save(ml, workflowPath);
    File.WriteAllLines(Path.Combine(folder, "scores.txt"), Scores(tabular.Transform(wine), "Score").Concat(Scores(images.Transform(photos), "ImageFeatures"))
        .Concat(Scores(workflow.Model.Model.Transform(wineCsv), "Score")));
    Console.WriteLine($"  saved {new FileInfo(tabularPath).Length:N0} + {new FileInfo(imagePath).Length:N0} bytes");
}
else
{
    var tabular = ml.Model.Load(tabularPath, out _);
    var images = ml.Model.Load(imagePath, out _);
    var workflow = WorkflowModel.Load(ml, workflowPath);
    var scores = Scores(tabular.Transform(wine), "Score").Concat(Scores(images.Transform(photos), "ImageFeatures"))
        .Concat(Scores(workflow.Model.Transform(wineCsv), "Score")).ToArray();
    var saved = File.ReadAllLines(Path.Combine(folder, "scores.txt"));
    if (!scores.SequenceEqual(saved))
        throw new InvalidOperationException($"reloaded models score differently: {scores.Zip(saved).Count(p => p.First != p.Second)} of {saved.Length} rows differ");
    Console.WriteLine($"  {saved.Length} rows scored identically after reloading");
}

static IEnumerable<string> Scores(IDataView data, string column) =>
    data.GetColumn<float[]>(column).Select(v => string.Join(",", v.Select(x => BitConverter.SingleToInt32Bits(x).ToString("X8", CultureInfo.InvariantCulture))));

public sealed class Wine
{
    [LoadColumn(0, 12), VectorType(13)] public float[] Features { get; set; } = [];
    [LoadColumn(13)] public string Label { get; set; } = "";
}

public sealed class Photo
{
    public string Path { get; set; } = "";
}
