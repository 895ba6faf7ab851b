// Mlx quickstart: Box-Cox the skewed features of a real imaging data set inside an ordinary ML.NET
// pipeline, train a built-in ML.NET trainer, compare with plain z-scoring, save, reload, predict.
//
// Data: examples/data/cell_segmentation/cells.csv (Hill et al. 2007, via r-cran-modeldata; MIT),
// the Box-Cox example of Kuhn & Johnson's "Applied Predictive Modeling".
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;
using Mlx.Shared;
using Quickstart;

var clock = Stopwatch.StartNew();
string root = RepositoryRoot.Path;
string dataPath = Path.Combine(root, "examples", "data", "cell_segmentation", "cells.csv");
string outDir = Path.Combine(root, "out", "quickstart");
Directory.CreateDirectory(outDir);

var ml = new MLContext(seed: 42);
// Mlx reports fitting progress on ML.NET's log channel, like ML.NET's own components.
ml.Log += (_, e) =>
{
    if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.Contains("PowerTransform", StringComparison.Ordinal))
        Console.WriteLine("  [log] " + e.Message);
};

// 1. Load: the 56 numeric features split into the strictly positive ones (Box-Cox) and the rest (Yeo-Johnson).
var table = CellTable.Inspect(dataPath);
Console.WriteLine($"Loaded {table.Rows} cells, {table.Positive.Count} strictly positive features (Box-Cox) and {table.Other.Count} others (Yeo-Johnson).");
var loader = ml.Data.CreateTextLoader(new TextLoader.Options
{
    HasHeader = true,
    Separators = [','],
    AllowQuoting = true,
    Columns =
    [
        new TextLoader.Column("Case", DataKind.String, 0),
        new TextLoader.Column("Class", DataKind.String, 1),
        new TextLoader.Column("Positive", DataKind.Single, table.Positive.Select(i => new TextLoader.Range(i)).ToArray()),
        new TextLoader.Column("Other", DataKind.Single, table.Other.Select(i => new TextLoader.Range(i)).ToArray()),
    ],
});
var all = loader.Load(dataPath);
// The data set's own split: "Train" / "Test".
var split = ml.Transforms.Conversion.MapValue("IsTest", new Dictionary<string, float> { ["Train"] = 0f, ["Test"] = 1f }, "Case")
    .Fit(all).Transform(all);
var train = ml.Data.FilterRowsByColumn(split, "IsTest", upperBound: 0.5);
var test = ml.Data.FilterRowsByColumn(split, "IsTest", lowerBound: 0.5);

// 2. Two pipelines that differ only in how features are normalized.
var label = ml.Transforms.Conversion.MapValue("Label", new Dictionary<string, bool> { ["PS"] = true, ["WS"] = false }, "Class");
var trainer = ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 200);

var withBoxCox = label
    .Append(ml.Transforms.NormalizeBoxCox("PositiveT", "Positive", standardize: true))
    .Append(ml.Transforms.NormalizeYeoJohnson("OtherT", "Other", standardize: true))
    .Append(ml.Transforms.Concatenate("Features", "PositiveT", "OtherT"))
    .Append(trainer);
var zScoreOnly = label
    .Append(ml.Transforms.Concatenate("Features", "Positive", "Other"))
    .Append(ml.Transforms.NormalizeMeanVariance("Features"))
    .Append(trainer);

Console.WriteLine("\nFitting Box-Cox + logistic regression...");
var model = withBoxCox.Fit(train);
var baseline = zScoreOnly.Fit(train);
var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
var baselineMetrics = ml.BinaryClassification.Evaluate(baseline.Transform(test));

Console.WriteLine($"\nTest set ({test.GetColumn<float>("IsTest").Count()} cells), PS = poorly segmented as positive class:");
Console.WriteLine($"  {"pipeline",-32} {"AUC",7} {"accuracy",9} {"F1",7} {"log-loss",9}");
Console.WriteLine($"  {"z-score only",-32} {baselineMetrics.AreaUnderRocCurve,7:F4} {baselineMetrics.Accuracy,9:F4} {baselineMetrics.F1Score,7:F4} {baselineMetrics.LogLoss,9:F4}");
Console.WriteLine($"  {"Box-Cox / Yeo-Johnson + z-score",-32} {metrics.AreaUnderRocCurve,7:F4} {metrics.Accuracy,9:F4} {metrics.F1Score,7:F4} {metrics.LogLoss,9:F4}");

// 3. The fitted lambdas (typed properties on the transformer), for the most skewed features.
var boxCox = (PowerTransformer)((IEnumerable<ITransformer>)model).Skip(1).First();
var names = table.Positive.Select(i => table.Header[i]).ToArray();
var positiveValues = ml.Data.CreateEnumerable<PositiveOnly>(ml.Transforms.DropColumns("Other").Fit(train).Transform(train), false, true,
    SchemaFor<PositiveOnly>(ml, "Positive", names.Length)).Select(r => r.Positive).ToArray();
var transformedValues = model.Transform(train).GetColumn<VBuffer<float>>("PositiveT").Select(v => v.DenseValues().ToArray()).ToArray();
var bySkew = Enumerable.Range(0, names.Length).Select(j => (j, skew: Stats.Skewness(positiveValues.Select(r => (double)r[j]))))
    .OrderByDescending(t => t.skew).Take(6).ToArray();
Console.WriteLine("\nMost skewed features, Box-Cox lambda fitted by maximum likelihood, skewness before -> after:");
foreach (var (j, skew) in bySkew)
{
    double after = Stats.Skewness(transformedValues.Select(r => (double)r[j]));
    Console.WriteLine($"  {names[j],-30} lambda = {boxCox.Lambdas[j],8:F4}   skew {skew,6:F2} -> {after,6:F2}");
}

// 4. A picture: the most skewed feature before and after.
int top = bySkew[0].j;
string plotPath = Path.Combine(outDir, "boxcox-histograms.png");
Plots.BeforeAfter(positiveValues.Select(r => (double)r[top]).ToArray(), transformedValues.Select(r => (double)r[top]).ToArray(),
    names[top], boxCox.Lambdas[top], plotPath);
Console.WriteLine($"\nWrote {Path.GetRelativePath(root, plotPath)}");

// 5. Save, load back (as any ML.NET app would, no Mlx registration), predict one test cell.
string modelPath = Path.Combine(outDir, "cells-boxcox-model.zip");
ml.Model.Save(model, train.Schema, modelPath);
var loaded = ml.Model.Load(modelPath, out var inputSchema);
var oneRow = ml.Data.TakeRows(test, 1);
var loadedScore = loaded.Transform(oneRow).GetColumn<float>("Probability").Single();
var originalScore = model.Transform(oneRow).GetColumn<float>("Probability").Single();
var actual = oneRow.GetColumn<ReadOnlyMemory<char>>("Class").Single();
Console.WriteLine($"Saved {Path.GetRelativePath(root, modelPath)} ({new FileInfo(modelPath).Length / 1024} KB), reloaded it: " +
                  $"P(PS) for the first test cell = {loadedScore:F4} (before saving {originalScore:F4}; true class {actual}).");
if (loadedScore != originalScore)
    throw new InvalidOperationException("The reloaded model predicts differently.");
Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F1} s.");

static SchemaDefinition SchemaFor<T>(MLContext ml, string column, int size)
{
    var definition = SchemaDefinition.Create(typeof(T));
    definition[column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
    return definition;
}


internal sealed class PositiveOnly
{
    public float[] Positive { get; set; } = [];
}
