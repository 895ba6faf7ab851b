// Feature engineering on the German credit data: dummy-code the 13 categorical columns, Box-Cox the skewed
// amounts, discretize age, look at the data through exact PCA and LDA, then cross-validate ML.NET's logistic
// regression on the engineered features against ML.NET's plain one-hot + z-score pipeline.
//
// Data: examples/data/german_credit/credit_g.csv (Statlog German Credit via Debian's weka package; GPL-2+).
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;
using Mlx.Shared;
using ScottPlot;

var clock = Stopwatch.StartNew();
string dataPath = RepositoryRoot.Combine("examples", "data", "german_credit", "credit_g.csv");
string outDir = RepositoryRoot.Combine("out", "feature-engineering");
Directory.CreateDirectory(outDir);

string[] categorical = ["checking_status", "credit_history", "purpose", "savings_status", "employment", "personal_status",
    "other_parties", "property_magnitude", "other_payment_plans", "housing", "job", "own_telephone", "foreign_worker"];
string[] skewed = ["duration", "credit_amount", "age"];                    // strictly positive, right-skewed
string[] counts = ["installment_commitment", "residence_since", "existing_credits", "num_dependents"];

var header = File.ReadLines(dataPath).First().Split(',');
int Column(string name) => Array.IndexOf(header, name);
var ml = new MLContext(seed: 7);
var data = ml.Data.LoadFromTextFile(dataPath, new TextLoader.Options
{
    HasHeader = true,
    Separators = [','],
    AllowQuoting = true,
    Columns =
    [
        new TextLoader.Column("Categorical", DataKind.String, categorical.Select(c => new TextLoader.Range(Column(c))).ToArray()),
        new TextLoader.Column("Skewed", DataKind.Single, skewed.Select(c => new TextLoader.Range(Column(c))).ToArray()),
        new TextLoader.Column("Counts", DataKind.Single, counts.Select(c => new TextLoader.Range(Column(c))).ToArray()),
        new TextLoader.Column("Age", DataKind.Single, Column("age")),
        new TextLoader.Column("Class", DataKind.String, Column("class")),
    ],
});
data = ml.Data.Cache(data);
Console.WriteLine($"Loaded {data.GetColumn<float>("Age").Count()} applicants: {categorical.Length} categorical, {skewed.Length} skewed and {counts.Length} count columns.");

// "bad" credit is the positive class.
var label = ml.Transforms.Conversion.MapValue("Label", new Dictionary<string, bool> { ["bad"] = true, ["good"] = false }, "Class");
var engineered = label
    .Append(ml.Transforms.Categorical.DummyEncoding("Dummies", "Categorical"))                          // drop the first level of each
    .Append(ml.Transforms.NormalizeBoxCox("SkewedT", "Skewed", standardize: true))
    .Append(ml.Transforms.Discretize("AgeBands", "Age", 5, BinningStrategy.Quantile, BinEncoding.OneHot))
    .Append(ml.Transforms.NormalizeMeanVariance("CountsT", "Counts"))
    .Append(ml.Transforms.Concatenate("Features", "Dummies", "SkewedT", "AgeBands", "CountsT"));

// 1. Look at the engineered features.
var fitted = engineered.Append(ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", rank: 10))
    .Append(ml.Transforms.ProjectToLinearDiscriminants("Lda", "Features", "Label"))
    .Fit(data);
var steps = ((IEnumerable<ITransformer>)fitted).ToArray();
var dummies = steps.OfType<DummyEncodingTransformer>().Single();
var boxCox = steps.OfType<PowerTransformer>().Single();
var ageBands = steps.OfType<DiscretizeTransformer>().Single();
var pca = steps.OfType<PcaTransformer>().Single();
var lda = steps.OfType<LdaTransformer>().Single();

Console.WriteLine($"\nDummy coding: {dummies.OutputSize} indicators from {categorical.Length} columns; reference levels: " +
                  string.Join(", ", categorical.Zip(dummies.DroppedCategories, (c, d) => $"{c}={d}").Take(4)) + ", ...");
Console.WriteLine("Box-Cox lambdas: " + string.Join(", ", skewed.Select((c, j) => $"{c} {boxCox.Lambdas[j]:F3}")));
Console.WriteLine("Age bands (quantile edges): " + string.Join(" | ", ageBands.BinEdges[0].Select(e => e.ToString("G4"))));
Console.WriteLine($"PCA on {pca.SlotCount} features: explained variance ratio of PC1..PC10 = " +
                  string.Join(" ", pca.ExplainedVarianceRatio.Select(r => r.ToString("F3"))) +
                  $" (cumulative {pca.ExplainedVarianceRatio.Sum():F3})");
var discriminant = fitted.Transform(data).GetColumn<VBuffer<float>>("Lda").Select(v => v.GetValues()[0]).ToArray();
var isBad = fitted.Transform(data).GetColumn<bool>("Label").ToArray();
Console.WriteLine($"LDA ({lda.Classes.Count} classes -> {lda.Rank} component): mean discriminant good = {discriminant.Where((_, i) => !isBad[i]).Average():F3}, " +
                  $"bad = {discriminant.Where((_, i) => isBad[i]).Average():F3}");

var scree = new Plot();
scree.Add.Bars(pca.ExplainedVarianceRatio.ToArray());
scree.Add.Scatter(Enumerable.Range(0, 10).Select(i => (double)i).ToArray(), pca.ExplainedVarianceRatio.Select((_, i) => pca.ExplainedVarianceRatio.Take(i + 1).Sum()).ToArray());
scree.Title("German credit: PCA explained variance ratio (bars) and cumulative (line)");
scree.XLabel("component");
scree.Axes.Bottom.SetTicks(Enumerable.Range(0, 10).Select(i => (double)i).ToArray(), Enumerable.Range(1, 10).Select(i => $"PC{i}").ToArray());
string plotPath = Path.Combine(outDir, "german-credit-pca-scree.png");
scree.SavePng(plotPath, 800, 450);
Console.WriteLine($"Wrote {Path.GetRelativePath(RepositoryRoot.Path, plotPath)}");

// 2. Cross-validate a built-in trainer on the engineered features vs ML.NET's own one-hot + z-score.
var trainer = ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 100);
var mlnetOnly = label
    .Append(ml.Transforms.Categorical.OneHotEncoding("OneHot", "Categorical"))
    .Append(ml.Transforms.Concatenate("Numeric", "Skewed", "Counts"))
    .Append(ml.Transforms.NormalizeMeanVariance("NumericT", "Numeric"))
    .Append(ml.Transforms.Concatenate("Features", "OneHot", "NumericT"));
Console.WriteLine("\n5-fold cross-validation of SDCA logistic regression (bad credit = positive):");
Console.WriteLine($"  {"features",-44} {"AUC",7} {"accuracy",9} {"F1",7}");
foreach (var (name, pipeline) in new (string, IEstimator<ITransformer>)[]
         {
             ("ML.NET one-hot + z-score", mlnetOnly.Append(trainer)),
             ("Mlx dummies + Box-Cox + age bands", engineered.Append(trainer)),
         })
{
    var folds = ml.BinaryClassification.CrossValidate(data, pipeline, numberOfFolds: 5);
    Console.WriteLine($"  {name,-44} {folds.Average(f => f.Metrics.AreaUnderRocCurve),7:F4} {folds.Average(f => f.Metrics.Accuracy),9:F4} {folds.Average(f => f.Metrics.F1Score),7:F4}");
}
Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F1} s.");
