using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Workflow;

namespace Mlx.Shared;

/// <summary>
/// The bundled data sets the workflow is held to (issue 16's quality bar), as the CLI would read them: boston_housing
/// (regression), german_credit and breast_cancer and sentiment_sentences/imdb (binary), wine (multiclass) and a
/// 2,000-image Fashion-MNIST subsample (multiclass on a 784-pixel vector). Compiled into the tests and the benchmark
/// (linked source).
/// </summary>
internal static class WorkflowDatasets
{
    /// <summary>A data set: its name, data and label column.</summary>
    public sealed record Dataset(string Name, IDataView Data, string Label);

    /// <summary>Names in the order the tests and the benchmark run them.</summary>
    public static readonly string[] Names = ["boston_housing", "german_credit", "breast_cancer", "wine", "sentiment_sentences", "fashion_mnist"];

    /// <summary>Images of the Fashion-MNIST subsample.</summary>
    public const int FashionImages = 2_000;

    public static Dataset Load(MLContext ml, string name)
    {
        string Data(params string[] parts) => RepositoryRoot.Combine(["examples", "data", .. parts]);
        return name switch
        {
            "boston_housing" => new(name, CsvDataset.Load(ml, Data("boston_housing", "boston.csv")).Data, "medv"),
            "german_credit" => new(name, CsvDataset.Load(ml, Data("german_credit", "credit_g.csv")).Data, "class"),
            "breast_cancer" => new(name, CsvDataset.Load(ml, Data("breast_cancer", "breast_cancer.csv")).Data, "target"),
            "wine" => new(name, CsvDataset.Load(ml, Data("wine", "wine.csv")).Data, "target"),
            "sentiment_sentences" => new(name, CsvDataset.Load(ml, Data("sentiment_sentences", "imdb.csv")).Data, "label"),
            "fashion_mnist" => new(name, Fashion(ml, Data("fashion_mnist", "train10k-images-idx3-ubyte.gz"), Data("fashion_mnist", "train10k-labels-idx1-ubyte.gz"),
                File.ReadLines(Data("fashion_mnist", "classes.csv")).Skip(1).Select(l => l.Split(',')[1]).ToArray()), "Class"),
            _ => throw new ArgumentException($"Unknown data set '{name}'.", nameof(name)),
        };
    }

    private static IDataView Fashion(MLContext ml, string images, string labels, string[] classNames)
    {
        var (pixels, classes) = FashionMnist.Read(images, labels, FashionImages);
        var rows = pixels.Select((p, i) => new FashionRow { Pixels = p, Class = classNames[classes[i]] });
        var schema = SchemaDefinition.Create(typeof(FashionRow));
        schema["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FashionMnist.Side * FashionMnist.Side);
        return ml.Data.LoadFromEnumerable(rows.ToArray(), schema);
    }

    private sealed class FashionRow
    {
        public float[] Pixels { get; set; } = [];

        public string Class { get; set; } = "";
    }
}
