using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.FeatureEngineering;
using Mlx.TestSupport;
using Mlx.Vision;

// Usage: Mlx.ModelFixtures <output folder>
// Fits one small pipeline per Mlx component on bundled data and writes, for each, <name>.zip (mlContext.Model.Save),
// <name>.input.idv (the rows to score) and <name>.output.idv (what this build computed for them).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Mlx.ModelFixtures <output folder>");
    return 2;
}
string folder = Directory.CreateDirectory(args[0]).FullName;
var ml = new MLContext(seed: 1);

var wine = LoadWine(ml);
var mixed = LoadMixed(ml);
var positive = ml.Transforms.Concatenate("Positive", "alcohol", "malic_acid", "ash", "magnesium", "proline");

Write("box_cox", positive.Append(ml.Transforms.NormalizeBoxCox("BoxCox", "Positive", standardize: true)), wine);
Write("yeo_johnson", ml.Transforms.NormalizeYeoJohnson("YeoJohnson", "Features"), wine);
Write("discretize_kmeans", ml.Transforms.Discretize("Bins", "Features", binCount: 4, strategy: BinningStrategy.KMeans, encoding: BinEncoding.OneHot), wine);
Write("discretize_quantile", ml.Transforms.Discretize("Bins", "Features", binCount: 5, strategy: BinningStrategy.Quantile), wine);
Write("dummy_encoding", ml.Transforms.Categorical.DummyEncoding("ColorCode", "color")
    .Append(ml.Transforms.Categorical.DummyEncoding("GradeCode", "grade", DummyDrop.None)), mixed);
Write("log_exp", positive.Append(ml.Transforms.LogTransform("Log", "Positive")).Append(ml.Transforms.ExpTransform("Exp", "Log")), wine);
Write("pca", ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", rank: 4, whiten: true), wine);
Write("lda", ml.Transforms.ProjectToLinearDiscriminants("Lda", "Features", "Label"), wine);
Write("select_by_score", ml.Transforms.FeatureSelection.SelectFeaturesByScore("Selected", "Features", "Label", FeatureScoring.AnovaF, count: 5), wine);
Write("select_by_lasso", ml.Transforms.FeatureSelection.SelectFeaturesByLasso("Selected", "Features", "LabelValue", alpha: 0.05), wine);
Write("neural_network", ml.Transforms.NormalizeMeanVariance("Scaled", "Features")
    .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
    .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
    {
        LabelColumnName = "LabelKey", FeatureColumnName = "Scaled",
        Layers = new Layer[] { Layer.Dense(8, Activation.Relu), Layer.Dropout(0.2) },
        Epochs = 20, BatchSize = 16, Seed = 1, Threads = 1,
    })), wine);

var fixture = Npz.Read(RepoPaths.Combine("tests", "golden", "onnx", "vgg_tiny.npz"), "input");
var pixels = PixelRows(ml, fixture);
Write("featurize_image", ml.Transforms.FeaturizeImage("ImageFeatures", "Pixels",
    OnnxBackbone.FromFile(RepoPaths.Combine("tests", "golden", "onnx", "vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None), batchSize: 3), pixels);
return 0;

void Write(string name, IEstimator<ITransformer> estimator, IDataView data)
{
    var model = estimator.Fit(data);
    ml.Model.Save(model, data.Schema, Path.Combine(folder, name + ".zip"));
    using (var input = File.Create(Path.Combine(folder, name + ".input.idv")))
        ml.Data.SaveAsBinary(data, input, keepHidden: false);
    using (var output = File.Create(Path.Combine(folder, name + ".output.idv")))
        ml.Data.SaveAsBinary(model.Transform(data), output, keepHidden: false);
    Console.WriteLine($"{name}: {new FileInfo(Path.Combine(folder, name + ".zip")).Length:N0} bytes");
}

static IDataView LoadWine(MLContext ml)
{
    var table = CsvTable.Load(RepoPaths.SklearnGolden("wine.csv"));
    var features = table.Header.Where(h => h != "target").ToArray();
    var x = table.Numeric(features);
    var y = table.Numeric(new[] { "target" });
    var rows = x.Select((r, i) => new WineRow
    {
        Features = r.Select(v => (float)v).ToArray(),
        alcohol = (float)r[0], malic_acid = (float)r[1], ash = (float)r[2], magnesium = (float)r[4], proline = (float)r[12],
        Label = ((int)y[i][0]).ToString(CultureInfo.InvariantCulture),
        LabelValue = (float)y[i][0],
    }).ToList();
    var definition = SchemaDefinition.Create(typeof(WineRow));
    definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features.Length);
    return ml.Data.LoadFromEnumerable(rows, definition);
}

static IDataView LoadMixed(MLContext ml)
{
    var lines = File.ReadLines(RepoPaths.SklearnGolden("mixed_cat.csv")).Skip(1).Select(l => l.Split(','));
    return ml.Data.LoadFromEnumerable(lines.Select(f => new MixedRow { color = f[3], grade = float.Parse(f[4], CultureInfo.InvariantCulture) }).ToList());
}

static IDataView PixelRows(MLContext ml, Npz.Array input)
{
    int length = input.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
    var rows = Enumerable.Range(0, input.Shape[0]).Select(i => new PixelRow { Pixels = input.Singles.AsSpan(i * length, length).ToArray() }).ToList();
    var definition = SchemaDefinition.Create(typeof(PixelRow));
    definition["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
    return ml.Data.LoadFromEnumerable(rows, definition);
}

#pragma warning disable IDE1006 // column names as in the CSV
internal sealed class WineRow
{
    public float[] Features { get; set; } = [];
    public float alcohol { get; set; }
    public float malic_acid { get; set; }
    public float ash { get; set; }
    public float magnesium { get; set; }
    public float proline { get; set; }
    public string Label { get; set; } = "";
    public float LabelValue { get; set; }
}

internal sealed class MixedRow
{
    public string color { get; set; } = "";
    public float grade { get; set; }
}
#pragma warning restore IDE1006

internal sealed class PixelRow
{
    public float[] Pixels { get; set; } = [];
}
