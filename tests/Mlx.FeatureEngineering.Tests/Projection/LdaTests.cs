using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Projection;

/// <summary>LDA against scikit-learn 1.2.1 <c>LinearDiscriminantAnalysis</c> (golden signs: largest |entry| of each scalings column positive).</summary>
public class LdaTests
{
    public static TheoryData<string, LdaSolver> Cases()
    {
        var data = new TheoryData<string, LdaSolver>();
        foreach (var d in new[] { "iris", "wine", "breast_cancer", "mixed_cat" })
        {
            data.Add(d, LdaSolver.Svd);
            data.Add(d, LdaSolver.Eigen);
        }
        return data;
    }

    private static (double[][] Rows, string[] Columns, IDataView Data) Load(MLContext ml, string dataset)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var table = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv"));
        var rows = table.Numeric(columns);
        var labelColumn = golden.At("meta", "label").GetString()!;
        var labels = table.Rows.Select(r => r[Array.IndexOf(table.Header, labelColumn)]).ToArray();
        // Numeric labels stay numeric (classes sorted numerically); text labels stay text.
        var data = labels.All(l => double.TryParse(l, System.Globalization.CultureInfo.InvariantCulture, out _))
            ? LabeledDataViews.WithNumericLabels(ml, rows, labels.Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            : LabeledDataViews.WithTextLabels(ml, rows, labels);
        return (rows, columns, data);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_sklearn(string dataset, LdaSolver solver)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var section = golden.At("lda", solver.ToString().ToLowerInvariant());
        var ml = new MLContext(seed: 1);
        var (_, _, data) = Load(ml, dataset);
        var model = ml.Transforms.ProjectToLinearDiscriminants("Lda", "Features", solver: solver).Fit(data);

        int components = section.GetProperty("n_components").GetInt32();
        Assert.Equal(components, model.Rank);
        Assert.Equal(golden.At("lda", "svd", "classes").EnumerateArray().Select(c => c.ToString()), model.Classes.Select(c => c.Replace(".0", "")));
        Tolerance.Close(GoldenJson.Vector(section.GetProperty("priors")), model.Priors.ToArray(), 1e-12, what: "priors");
        var means = GoldenJson.Matrix(section.GetProperty("means"));
        for (int c = 0; c < means.Length; c++)
            Tolerance.Close(means[c], model.ClassMeans[c].ToArray(), 1e-6, what: $"class {c} mean");
        Tolerance.Close(GoldenJson.Vector(section.GetProperty("explained_variance_ratio")), model.ExplainedVarianceRatio.ToArray(), 1e-4, floor: 1e-3, what: "explained variance ratio");

        // Scalings: golden rows are input slots, columns components; float32 input: 1e-4 of the column's largest entry.
        var scalings = GoldenJson.Matrix(section.GetProperty("scalings"));
        for (int k = 0; k < components; k++)
        {
            var expected = scalings.Select(r => r[k]).ToArray();
            double scale = expected.Max(Math.Abs);
            Tolerance.Close(expected, model.Scalings[k].ToArray(), 1e-4, floor: scale, what: $"scalings column {k}");
        }

        var output = DataViews.ReadVectors(model.Transform(data), "Lda");
        var first5 = GoldenJson.Matrix(section.GetProperty("first5"));
        for (int i = 0; i < 5; i++)
            Tolerance.Close(first5[i], output[i].Select(v => (double)v).ToArray(), 1e-4, floor: 1.0, what: $"row {i}");
    }

    [Fact]
    public void Eigen_scalings_whiten_the_within_class_covariance()
    {
        // sklearn's eigh(Sb, Sw) convention: vᵀ·Sw·v = 1, checked against the golden Sw.
        var golden = GoldenJson.LoadSklearn("wine");
        var sw = GoldenJson.Matrix(golden.At("lda", "eigen", "within_class_covariance_Sw"));
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.ProjectToLinearDiscriminants("Lda", "Features", solver: LdaSolver.Eigen).Fit(Load(ml, "wine").Data);
        foreach (var v in model.Scalings)
        {
            double q = 0;
            for (int i = 0; i < v.Count; i++)
            {
                for (int j = 0; j < v.Count; j++)
                    q += v[i] * sw[i][j] * v[j];
            }
            Assert.Equal(1.0, q, 1e-4);
        }
    }

    [Fact]
    public void Key_labels_rank_and_shrinkage_work_and_the_model_reloads_in_a_new_process()
    {
        var ml = new MLContext(seed: 1);
        var (_, _, data) = Load(ml, "wine");
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Key", "Label")
            .Append(ml.Transforms.ProjectToLinearDiscriminants("Lda", "Features", labelColumnName: "Key", rank: 1))
            .Append(ml.Transforms.ProjectToLinearDiscriminants("Shrunk", "Features", solver: LdaSolver.Eigen, shrinkage: 0.2));
        var model = pipeline.Fit(data);
        var transformed = model.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1), transformed.Schema["Lda"].Type);
        Assert.Equal(new[] { "LD1", "LD2" }, DataViews.SlotNames(transformed.Schema["Shrunk"]));
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        foreach (var column in new[] { "Lda", "Shrunk" })
            Assert.Equal(DataViews.ReadVectors(transformed, column), DataViews.ReadVectors(actual, column));
    }

    [Fact]
    public void Bad_input_is_rejected_clearly()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { new[] { 1.0, 2.0 }, [2.0, 1.0], [3.0, 5.0] };
        var one = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.ProjectToLinearDiscriminants("L", "Features").Fit(LabeledDataViews.WithTextLabels(ml, rows, ["a", "a", "a"])));
        Assert.Contains("at least 2 classes", one.Message);
        Assert.Contains("'a'", one.Message);
        var missing = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.ProjectToLinearDiscriminants("L", "Features").Fit(LabeledDataViews.WithTextLabels(ml, rows, ["a", "", "b"])));
        Assert.Contains("Column 'Label' at row 1", missing.Message);
        Assert.Contains("label is missing", missing.Message);
        Assert.Throws<ArgumentException>(() => ml.Transforms.ProjectToLinearDiscriminants("L", "Features", shrinkage: 0.5));
        var rank = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.ProjectToLinearDiscriminants("L", "Features", rank: 2).Fit(LabeledDataViews.WithTextLabels(ml, rows, ["a", "b", "b"])));
        Assert.Contains("min(classes − 1, slots) = 1", rank.Message);
        var noLabel = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ProjectToLinearDiscriminants("L", "Features", labelColumnName: "Class").GetOutputSchema(SchemaShape.Create(DataViews.FromRows(ml, rows).Schema)));
        Assert.Contains("'Class' was not found", noLabel.Message);
    }
}
