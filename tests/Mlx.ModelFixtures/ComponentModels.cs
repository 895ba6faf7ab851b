using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.FeatureEngineering;
using Mlx.TestSupport;
using Mlx.Vision;

namespace Mlx.ModelFixtures;

/// <summary>One small pipeline using an Mlx component, with the rows it is fitted on and scores.</summary>
/// <param name="Name">File name of the fixture (e.g. box_cox).</param>
/// <param name="Estimator">The pipeline.</param>
/// <param name="Data">Its training and scoring rows.</param>
/// <param name="LoaderSignature">The loader signature of the Mlx component the fixture is about.</param>
public sealed record ComponentModel(string Name, IEstimator<ITransformer> Estimator, IDataView Data, string LoaderSignature);

/// <summary>
/// One pipeline per kind of saved Mlx component, on bundled data: the saved-model fixtures of each release
/// (tests/golden/models) and the tampering tests use the same list.
/// </summary>
public static class ComponentModels
{
    /// <summary>Every component kind's pipeline.</summary>
    public static IReadOnlyList<ComponentModel> All(MLContext ml)
    {
        var wine = LoadWine(ml);
        var mixed = LoadMixed(ml);
        var positive = ml.Transforms.Concatenate("Positive", "alcohol", "malic_acid", "ash", "magnesium", "proline");
        var fixture = Npz.Read(RepoPaths.Combine("tests", "golden", "onnx", "vgg_tiny.npz"), "input");
        return
        [
            new("box_cox", positive.Append(ml.Transforms.NormalizeBoxCox("BoxCox", "Positive", standardize: true)), wine, "MlxPowerTransform"),
            new("yeo_johnson", ml.Transforms.NormalizeYeoJohnson("YeoJohnson", "Features"), wine, "MlxPowerTransform"),
            new("discretize_kmeans", ml.Transforms.Discretize("Bins", "Features", binCount: 4, strategy: BinningStrategy.KMeans, encoding: BinEncoding.OneHot), wine, "MlxDiscretizeTransform"),
            new("discretize_quantile", ml.Transforms.Discretize("Bins", "Features", binCount: 5, strategy: BinningStrategy.Quantile), wine, "MlxDiscretizeTransform"),
            new("dummy_encoding", ml.Transforms.Categorical.DummyEncoding("ColorCode", "color")
                .Append(ml.Transforms.Categorical.DummyEncoding("GradeCode", "grade", DummyDrop.None)), mixed, "MlxDummyEncoding"),
            new("log_exp", positive.Append(ml.Transforms.LogTransform("Log", "Positive")).Append(ml.Transforms.ExpTransform("Exp", "Log")), wine, "MlxLogExpTransform"),
            new("pca", ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", rank: 4, whiten: true), wine, "MlxPcaExact"),
            new("lda", ml.Transforms.ProjectToLinearDiscriminants("Lda", "Features", "Label"), wine, "MlxLdaProjection"),
            new("select_by_score", ml.Transforms.FeatureSelection.SelectFeaturesByScore("Selected", "Features", "Label", FeatureScoring.AnovaF, count: 5), wine, "MlxFeatureSelection"),
            new("select_by_lasso", ml.Transforms.FeatureSelection.SelectFeaturesByLasso("Selected", "Features", "LabelValue", alpha: 0.05), wine, "MlxFeatureSelection"),
            new("text_vectorization", ml.Transforms.Text.VectorizeText("Tokens", "text", new TextVectorizationOptions { OutputMode = TextOutputMode.TfIdf, NGrams = 2 }), mixed, "MlxTextVectorization"),
            new("date_parts", ml.Transforms.DateParts("Date", "date"), mixed, "MlxDatePartsTransform"),
            new("neural_network", ml.Transforms.NormalizeMeanVariance("Scaled", "Features")
                .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
                .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
                {
                    LabelColumnName = "LabelKey", FeatureColumnName = "Scaled",
                    Layers = new Layer[] { Layer.Dense(8, Activation.Relu), Layer.Dropout(0.2) },
                    Epochs = 20, BatchSize = 16, Seed = 1, Threads = 1,
                })), wine, "MlxNeuralNetwork"),
            new("featurize_image", ml.Transforms.FeaturizeImage("ImageFeatures", "Pixels",
                OnnxBackbone.FromFile(RepoPaths.Combine("tests", "golden", "onnx", "vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None), batchSize: 3),
                PixelRows(ml, fixture), "MlxFeaturizeImage"),
        ];
    }

    private static IDataView LoadWine(MLContext ml)
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

    // mixed_cat.csv's categories; its colour and grade read as text ("red 2"), and a calendar day per row.
    private static IDataView LoadMixed(MLContext ml)
    {
        var lines = File.ReadLines(RepoPaths.SklearnGolden("mixed_cat.csv")).Skip(1).Select(l => l.Split(','));
        return ml.Data.LoadFromEnumerable(lines.Select((f, i) => new MixedRow
        {
            color = f[3],
            grade = float.Parse(f[4], CultureInfo.InvariantCulture),
            text = $"{f[3]} grade {f[4]} label {f[5]}",
            date = new DateTime(2024, 1, 1).AddDays(i * 3).AddHours(i % 24).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        }).ToList());
    }

    private static IDataView PixelRows(MLContext ml, Npz.Array input)
    {
        int length = input.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        var rows = Enumerable.Range(0, input.Shape[0]).Select(i => new PixelRow { Pixels = input.Singles.AsSpan(i * length, length).ToArray() }).ToList();
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

#pragma warning disable IDE1006 // column names as in the CSV
    private sealed class WineRow
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

    private sealed class MixedRow
    {
        public string color { get; set; } = "";
        public float grade { get; set; }
        public string text { get; set; } = "";
        public string date { get; set; } = "";
    }
#pragma warning restore IDE1006

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }
}
