using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Errors;

/// <summary>
/// Errors that name what the user must fix: the parameter that named a missing column, the role of a missing value,
/// the source column of a bad slot, the fold whose evaluation failed, the factory or metric that broke a search.
/// </summary>
public class MisdirectedErrorTests
{
    private sealed class GroupedRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Group { get; set; }
    }

    private static IDataView Wine(MLContext ml, int rows = 178)
    {
        var table = CsvTable.Load(RepoPaths.SklearnGolden("wine.csv"));
        var features = table.Header.Where(h => h != "target").ToArray();
        var x = table.Numeric(features).Take(rows).ToArray();
        var y = table.Numeric(["target"]).Take(rows).Select(r => $"c{r[0]}").ToArray();
        return LabeledDataViews.WithTextLabels(ml, x, y);
    }

    [Fact]
    public void A_missing_feature_column_names_the_featureColumnName_parameter()
    {
        var ml = new MLContext(seed: 1);
        var data = Wine(ml);
        foreach (var error in new[]
        {
            Assert.Throws<ArgumentException>(() => ml.Data.Resample(data, "Label", Resampling.RandomOver(), featureColumnName: "Pixels")),
            Assert.Throws<ArgumentException>(() => ml.Data.CheckLeakage(data, data, featureColumnName: "Pixels")),
        })
        {
            Assert.Contains("'Pixels' was not found", error.Message);
            Assert.Contains("Check the featureColumnName argument", error.Message);
        }
    }

    [Fact]
    public void Group_columns_are_named_as_groups_not_labels()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 40).Select(i => new GroupedRow { Features = [i, i % 3], Label = i % 2 == 0, Group = i == 7 ? float.NaN : i % 5 }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression();
        var missing = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.CrossValidateIterated(data, trainer, groupColumnName: "Site"));
        Assert.Contains("Check the groupColumnName argument", missing.Message);
        var nan = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.CrossValidateIterated(data, trainer, groupColumnName: "Group"));
        Assert.Contains("the group id is missing", nan.Message);
        Assert.Contains("Column 'Group' at row 7", nan.Message);
    }

    [Fact]
    public void A_fold_whose_test_rows_miss_a_class_is_named()
    {
        var ml = new MLContext(seed: 1);
        // Two positives among 40 rows: with 5 stratified folds, three test folds have none and AUC is undefined there.
        var rows = Enumerable.Range(0, 40).Select(i => new GroupedRow { Features = [i, i % 3], Label = i is 3 or 17, Group = 0 }).ToArray();
        var error = Assert.Throws<InvalidOperationException>(() =>
            ml.BinaryClassification.CrossValidateIterated(ml.Data.LoadFromEnumerable(rows), ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), folds: 5));
        Assert.Contains("Evaluating fold", error.Message);
        Assert.Contains("fewer rows than folds", error.Message);
    }

    [Fact]
    public void A_bad_value_names_the_slot_by_its_source_column()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(1, 30).Select(i => new[] { i, i == 12 ? double.PositiveInfinity : i * 2.0, i + 0.5 }).ToArray();
        var data = DataViews.FromRows(ml, rows, ["x1", "x2", "x3"]);
        var model = ml.Transforms.NormalizeYeoJohnson("Y", "Features").Fit(DataViews.FromRows(ml, rows.Select(r => r.Select(v => double.IsFinite(v) ? v : 1).ToArray()).ToArray(), ["x1", "x2", "x3"]));
        // ML.NET's parallel cursors may wrap the error; the innermost one is the transform's.
        var error = Assert.ThrowsAny<Exception>(() => DataViews.ReadVectors(model.Transform(data), "Y"));
        Assert.Contains("Column 'Features' slot 1 ('x2')", error.GetBaseException().Message);
    }

    [Fact]
    public void A_wrapper_search_refuses_NaN_features_a_NaN_metric_and_a_null_model()
    {
        var ml = new MLContext(seed: 1);
        var wine = Wine(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(wine).Transform(wine);
        IEstimator<ITransformer> Model(string features) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Key", features);
        var search = WrapperSearch.SequentialForward(2);
        var nullModel = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesBySearch("S", "Features", _ => null!, search, "Key", parallel: false).Fit(keyed));
        Assert.Contains("model factory returned null", nullModel.Message);
        var nanMetric = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesBySearch("S", "Features", Model, search, "Key", WrapperMetric.Custom("broken", _ => double.NaN, true), parallel: false).Fit(keyed));
        Assert.Contains("The metric broken is NaN on fold 1", nanMetric.Message);

        var rows = CsvTable.Load(RepoPaths.SklearnGolden("wine.csv")).Numeric(["alcohol", "ash", "hue"]).Select((r, i) => i == 5 ? [r[0], double.NaN, r[2]] : r).ToArray();
        var withNaN = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(LabeledDataViews.WithTextLabels(ml, rows, rows.Select((_, i) => $"c{i % 3}").ToArray()));
        var data = withNaN.Transform(LabeledDataViews.WithTextLabels(ml, rows, rows.Select((_, i) => $"c{i % 3}").ToArray()));
        var nanFeature = Assert.ThrowsAny<Exception>(() =>
            ml.Transforms.FeatureSelection.SelectFeaturesBySearch("S", "Features", Model, search, "Key", parallel: false).Fit(data));
        Assert.Contains("slot 1", nanFeature.Message);
        Assert.Contains("row 5", nanFeature.Message);
    }
}
