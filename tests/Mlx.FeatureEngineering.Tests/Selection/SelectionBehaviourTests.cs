using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Selection;

public class SelectionBehaviourTests
{
    private static (MLContext, IDataView, string[]) Wine()
    {
        var (x, labels, columns, _) = SelectionTestData.Load("wine");
        var ml = new MLContext(seed: 1);
        return (ml, LabeledDataViews.WithTextLabels(ml, x, labels), columns);
    }

    [Fact]
    public void Output_keeps_the_selected_slots_in_order_with_their_names()
    {
        var (ml, data, _) = Wine();
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore("Kept", "Features", scoring: FeatureScoring.AnovaF, count: 3).Fit(data);
        var transformed = model.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), transformed.Schema["Kept"].Type);
        // The input has no slot names, so slots are named column[index].
        Assert.Equal(["Features[6]", "Features[11]", "Features[12]"], model.SelectedNames);
        Assert.Equal(model.SelectedNames, DataViews.SlotNames(transformed.Schema["Kept"]));
        var before = DataViews.ReadVectors(data, "Features");
        var after = DataViews.ReadVectors(transformed, "Kept");
        for (int i = 0; i < 10; i++)
            Assert.Equal(new[] { before[i][6], before[i][11], before[i][12] }, after[i]);
    }

    [Fact]
    public void Ties_keep_the_lower_slot_index()
    {
        var ml = new MLContext(seed: 1);
        // Slots 0, 1, 2 are identical copies: identical scores.
        var rows = Enumerable.Range(0, 60).Select(i => new[] { i % 3, i % 3, i % 3, (i * 7) % 5 + 0.0 }).ToArray();
        var labels = Enumerable.Range(0, 60).Select(i => $"c{i % 3}").ToArray();
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore("K", "Features", scoring: FeatureScoring.AnovaF, count: 2)
            .Fit(LabeledDataViews.WithTextLabels(ml, rows.Select(r => r.Select(v => v + 0.01 * (r[3] - 2)).ToArray()).ToArray(), labels));
        Assert.Equal(model.Scores[0], model.Scores[1]);
        Assert.Equal([0, 1], model.SelectedSlots);
    }

    [Fact]
    public void Report_lists_every_slot_best_first_and_saves_as_csv()
    {
        var (ml, data, columns) = Wine();
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore("K", "Features", scoring: FeatureScoring.AnovaF, count: 4).Fit(data);
        var report = model.Report();
        Assert.Equal(13, report.Rows.Count);
        Assert.Equal(Enumerable.Range(1, 13), report.Rows.Select(r => r.Rank));
        Assert.Equal(6, report.Rows[0].Slot);
        Assert.Equal(4, report.Rows.Count(r => r.Kept));
        Assert.All(report.Rows.Take(4), r => Assert.True(r.Kept));
        var text = report.ToString();
        Assert.Contains("AnovaF: 4 of 13 slots kept", text);
        Assert.Contains("p-value", text);

        string path = Path.Combine(Path.GetTempPath(), $"mlx-report-{Guid.NewGuid():N}.csv");
        report.SaveCsv(path);
        var lines = File.ReadAllLines(path);
        File.Delete(path);
        Assert.Equal("rank,kept,slot,name,score,p_value,coefficient", lines[0]);
        Assert.Equal(14, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(model.Scores[6], double.Parse(first[4], CultureInfo.InvariantCulture));
        Assert.Equal(model.PValues![6], double.Parse(first[5], CultureInfo.InvariantCulture));
        Assert.Equal(columns.Length, model.SlotCount);
    }

    [Fact]
    public void Saved_selectors_load_in_a_new_process_with_identical_output_and_scores()
    {
        var (x, labels, _, _) = SelectionTestData.Load("wine");
        var ml = new MLContext(seed: 1);
        var data = SelectionTestData.WithNumericTarget(ml, x, labels);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByLasso("Lasso", "Features")
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesByScore("Corr", "Features", scoring: FeatureScoring.Correlation, count: 4))
            .Fit(data);
        var expected = model.Transform(data);
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        foreach (var column in new[] { "Lasso", "Corr" })
        {
            Assert.Equal(DataViews.ReadVectors(expected, column), DataViews.ReadVectors(actual, column));
            Assert.Equal(DataViews.SlotNames(expected.Schema[column]), DataViews.SlotNames(actual.Schema[column]));
        }
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ((IEnumerable<ITransformer>)ml.Model.Load(stream, out _)).OfType<FeatureSelectionTransformer>().First();
        var original = ((IEnumerable<ITransformer>)model).OfType<FeatureSelectionTransformer>().First();
        Assert.Equal(original.Coefficients, loaded.Coefficients);
        Assert.Equal(original.Intercept, loaded.Intercept);
        Assert.Equal(original.Method, loaded.Method);
    }

    [Fact]
    public void Bad_input_gets_clear_errors()
    {
        var ml = new MLContext(seed: 1);
        double[][] rows = [[1, 2], [3, -1], [2, 5], [4, 1]];
        string[] labels = ["a", "b", "a", "b"];
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByScore("K", "Features", count: 1).Fit(LabeledDataViews.WithTextLabels(ml, rows, labels)));
        Assert.Contains("slot 1 at row 1", negative.Message);
        Assert.Contains("non-negative", negative.Message);
        Assert.Contains("NormalizeMinMax", negative.Message);

        var oneClass = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByScore("K", "Features", scoring: FeatureScoring.AnovaF, count: 1)
                .Fit(LabeledDataViews.WithTextLabels(ml, rows, ["a", "a", "a", "a"])));
        Assert.Contains("at least 2 classes", oneClass.Message);

        var nan = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByScore("K", "Features", scoring: FeatureScoring.AnovaF, count: 1)
                .Fit(LabeledDataViews.WithTextLabels(ml, [[1, 2], [double.NaN, 1], [2, 2]], ["a", "b", "a"])));
        Assert.Contains("slot 0 at row 1", nan.Message);
        Assert.Contains("missing (NaN)", nan.Message);

        var constant = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByLasso("K", "Features").Fit(LabeledDataViews.WithNumericLabels(ml, rows, [1, 1, 1, 1])));
        Assert.Contains("label is constant", constant.Message);

        var text = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByScore("K", "Features", scoring: FeatureScoring.Correlation, count: 1)
                .Fit(LabeledDataViews.WithTextLabels(ml, rows, labels)));
        Assert.Contains("MapValueToKey", text.Message);

        var rules = Assert.Throws<ArgumentException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByScore(new ScoreSelectionOptions { OutputColumnName = "K", InputColumnName = "Features", Count = 2, Threshold = 1 }));
        Assert.Contains("exactly one of count, percentile or threshold", rules.Message);

        var none = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesByLasso("K", "Features", alpha: 1e6).Fit(LabeledDataViews.WithNumericLabels(ml, rows, [1, 2, 3, 4])));
        Assert.Contains("kept no slot", none.Message);
    }
}
