using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Selection;

public class EmbeddedSelectionTests
{
    public static TheoryData<string> Datasets => new() { "iris", "wine", "breast_cancer", "diabetes", "diabetes_scaled", "mixed_cat" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Lasso_matches_sklearns_tightly_converged_coefficients_and_support(string dataset)
    {
        var (x, labels, _, golden) = SelectionTestData.Load(dataset);
        var lasso = golden.At("lasso");
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByLasso("Kept", "Features", alpha: 0.1)
            .Fit(SelectionTestData.WithNumericTarget(ml, x, labels));

        // Float32 input: coefficients to 1e-4 of the largest coefficient.
        var expected = GoldenJson.Vector(lasso.GetProperty("tight").GetProperty("coef"));
        double scale = expected.Max(Math.Abs);
        Tolerance.Close(expected, model.Coefficients!.ToArray(), 1e-4, floor: scale, what: "Lasso coefficients");
        Assert.Equal(GoldenJson.Number(lasso.GetProperty("intercept")), model.Intercept!.Value, 1e-6 * Math.Abs(model.Intercept.Value) + 1e-9);
        var support = lasso.GetProperty("select_from_model").GetProperty("support").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        Assert.Equal(Enumerable.Range(0, support.Length).Where(j => support[j]), model.SelectedSlots);
    }

    [Fact]
    public void Ridge_matches_sklearn_Ridge_on_standardized_diabetes()
    {
        // scikit-learn 1.2.1: Ridge(alpha=1.0).fit(StandardScaler().fit_transform(X), y) on the golden diabetes CSV.
        double[] coef = [-1.5269773846504977, 26.515136569408604, 13.101153082162108, -26.895424669381498, 14.438954019683466, 3.5241355341826925, 5.20002815400724, 33.28233781318253, 2.381877984217775];
        var (x, labels, _, _) = SelectionTestData.Load("diabetes");
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByRidge("Kept", "Features", alpha: 1.0, count: 3)
            .Fit(SelectionTestData.WithNumericTarget(ml, x, labels));
        Tolerance.Close(coef, model.Coefficients!.ToArray(), 1e-4, floor: 33.3, what: "Ridge coefficients");
        Assert.Equal(152.133484162896, model.Intercept!.Value, 1e-6);
        Assert.Equal([1, 3, 7], model.SelectedSlots); // |coef|: s5 33.3, s1 26.9, bmi 26.5
    }

    [Fact]
    public void Tree_importance_finds_the_slots_the_label_depends_on()
    {
        // y depends on slots 1 and 4 only; the other 6 slots are noise.
        var random = new Random(11);
        var rows = Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var y = rows.Select(r => 3 * r[1] + Math.Sin(6 * r[4]) + 0.05 * random.NextDouble()).ToArray();
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByTreeImportance("Kept", "Features", count: 2, numberOfTrees: 30)
            .Fit(LabeledDataViews.WithNumericLabels(ml, rows, y));
        Assert.Equal([1, 4], model.SelectedSlots);
        Assert.True(model.Scores[1] > 10 * model.Scores.Where((_, j) => j != 1 && j != 4).Max());

        // Boolean label: binary trees.
        var positive = rows.Select(r => r[6] > 0.5).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new BoolLabeledRow { Features = r.Select(v => (float)v).ToArray(), Label = positive[i] }).ToList(),
            Definition(8));
        var binary = ml.Transforms.FeatureSelection.SelectFeaturesByTreeImportance("Kept", "Features", count: 1, numberOfTrees: 20).Fit(data);
        Assert.Equal([6], binary.SelectedSlots);
    }

    private sealed class BoolLabeledRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private static SchemaDefinition Definition(int d)
    {
        var definition = SchemaDefinition.Create(typeof(BoolLabeledRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return definition;
    }
}
