using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Validation;

/// <summary>
/// Validation protocols: fold assignments (stratified shares, sizes, grouped folds, every row tested once per repeat),
/// iterated K-fold metrics equal to fitting and evaluating the same folds built independently (LINQ over the rows),
/// mean ± sample standard deviation, rolling-origin windows that never train on the future.
/// </summary>
public class ValidationProtocolTests
{
    private sealed class Row
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public int Group { get; set; }
    }

    private static Row[] BreastCancer()
    {
        var table = CsvTable.Load(RepoPaths.Combine("tests", "golden", "sklearn", "breast_cancer.csv"));
        var x = table.Numeric(table.Header[..30]);
        var y = table.Numeric([table.Header[30]]);
        return x.Select((r, i) => new Row { Features = r.Select(v => (float)v).ToArray(), Label = y[i][0] == 1, Group = i % 37 }).ToArray();
    }

    [Fact]
    public void Stratified_plain_and_grouped_folds_have_the_promised_shape()
    {
        var random = new Random(1);
        var classes = Enumerable.Range(0, 103).Select(i => i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2).ToArray();
        var stratified = FoldAssignment.Assign(classes, null, 103, 5, random);
        for (int c = 0; c < 3; c++)
        {
            int count = classes.Count(x => x == c);
            for (int f = 0; f < 5; f++)
            {
                int inFold = Enumerable.Range(0, 103).Count(i => classes[i] == c && stratified[i] == f);
                Assert.InRange(inFold, count / 5, count / 5 + 1);
            }
        }
        var sizes = Enumerable.Range(0, 5).Select(f => stratified.Count(x => x == f)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1);

        var plain = FoldAssignment.Assign(null, null, 103, 5, new Random(2));
        Assert.Equal([21, 21, 21, 20, 20], Enumerable.Range(0, 5).Select(f => plain.Count(x => x == f)));
        Assert.NotEqual(plain, FoldAssignment.Assign(null, null, 103, 5, new Random(3)));

        // Groups of sizes 9, 7, 5, 4, 3, 2: largest first to the lightest fold (scikit-learn's GroupKFold).
        var groups = new[] { 9, 7, 5, 4, 3, 2 }.SelectMany((size, g) => Enumerable.Repeat(g, size)).ToArray();
        var grouped = FoldAssignment.Assign(null, groups, groups.Length, 3, new Random(4));
        for (int g = 0; g < 6; g++)
            Assert.Single(Enumerable.Range(0, groups.Length).Where(i => groups[i] == g).Select(i => grouped[i]).Distinct());
        // 9 → fold 0, 7 → 1, 5 → 2, 4 → 2 (5 was lightest), 3 → 1 (7), 2 → 0 (9, first of the lightest): 11, 10, 9.
        Assert.Equal([11, 10, 9], Enumerable.Range(0, 3).Select(f => grouped.Count(x => x == f)));
    }

    [Fact]
    public void Iterated_stratified_k_fold_equals_the_same_folds_fitted_by_hand()
    {
        var ml = new MLContext(seed: 1);
        var rows = BreastCancer();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression());
        var seen = new List<int>();
        var report = ml.BinaryClassification.CrossValidateIterated(data, pipeline, folds: 4, repeats: 2, seed: 11,
            progress: new SynchronousProgress<FoldMetrics<BinaryClassificationMetrics>>(f => seen.Add(f.Fold)));
        Assert.Equal(8, report.Folds.Count);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], seen);
        Assert.Equal("stratified 4-fold × 2 repeats", report.Protocol);

        var classes = rows.Select(r => r.Label ? 1 : 0).ToArray();
        for (int repeat = 0; repeat < 2; repeat++)
        {
            var fold = FoldAssignment.Assign(classes, null, rows.Length, 4, new Random(11 + repeat));
            for (int f = 0; f < 4; f++)
            {
                var train = ml.Data.LoadFromEnumerable(rows.Where((_, i) => fold[i] != f).ToArray());
                var test = ml.Data.LoadFromEnumerable(rows.Where((_, i) => fold[i] == f).ToArray());
                var expected = ml.BinaryClassification.Evaluate(pipeline.Fit(train).Transform(test));
                var actual = report.Folds[repeat * 4 + f];
                Assert.Equal(rows.Length - fold.Count(x => x == f), actual.TrainRows);
                Assert.Equal(expected.AreaUnderRocCurve, actual.Metrics.AreaUnderRocCurve, 12);
                Assert.Equal(expected.Accuracy, actual.Metrics.Accuracy, 12);
            }
        }
        var aucs = report.Folds.Select(f => f.Metrics.AreaUnderRocCurve).ToArray();
        var (mean, std) = report.Summary(m => m.AreaUnderRocCurve);
        Assert.Equal(aucs.Average(), mean, 12);
        Assert.Equal(Math.Sqrt(aucs.Sum(a => (a - aucs.Average()) * (a - aucs.Average())) / 7), std, 12);
        Assert.Contains("mean", report.Format("AUC", m => m.AreaUnderRocCurve));
    }

    [Fact]
    public void Grouped_folds_keep_groups_apart_and_rolling_origin_never_trains_on_the_future()
    {
        var ml = new MLContext(seed: 1);
        var rows = BreastCancer();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression());
        var grouped = ml.BinaryClassification.CrossValidateIterated(data, pipeline, folds: 5, repeats: 3, groupColumnName: "Group");
        Assert.Equal(5, grouped.Folds.Count); // GroupKFold is not repeated
        Assert.Equal(rows.Length, grouped.Folds.Sum(f => f.TestRows));

        var rolling = ml.BinaryClassification.CrossValidateRollingOrigin(data, pipeline, initialTrainRows: 300, testRows: 100, step: 50);
        Assert.Equal([300L, 350, 400, 450], rolling.Folds.Select(f => f.TrainRows));
        Assert.All(rolling.Folds, f => Assert.Equal(100, f.TestRows));
        // Fold 0 by hand: rows 0..299 train, 300..399 test.
        var expected = ml.BinaryClassification.Evaluate(pipeline.Fit(ml.Data.LoadFromEnumerable(rows[..300])).Transform(ml.Data.LoadFromEnumerable(rows[300..400])));
        Assert.Equal(expected.AreaUnderRocCurve, rolling.Folds[0].Metrics.AreaUnderRocCurve, 12);
        Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.CrossValidateRollingOrigin(data, pipeline, 500, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.CrossValidateIterated(data, pipeline, folds: 1));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
