using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Workflow.Tests.Reporting;

/// <summary>
/// The report's test diagnostics against hand computations: the confusion matrix and per-class scores, the ROC and
/// precision-recall points of a small ranking (the trapezoid area of the ROC curve equals the rank AUC), and
/// permutation importance (the column the model reads matters, a noise column does not).
/// </summary>
public sealed class TestDiagnosticsTests
{
    [Fact]
    public void Confusion_matrix_and_per_class_scores_count_by_hand()
    {
        // actual:    a a a b b c    predicted: a b a b c c
        var d = ClassificationDiagnostics.Create(["a", "b", "c"], [0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 2, 2]);
        Assert.Equal([[2, 1, 0], [0, 1, 1], [0, 0, 1]], d.ConfusionMatrix!.Select(r => r.ToArray()).ToArray());
        Assert.Equal([1.0, 0.5, 0.5], d.PerClass!.Select(c => c.Precision));
        Assert.Equal([2 / 3.0, 0.5, 1.0], d.PerClass!.Select(c => c.Recall));
        Assert.Equal([3, 2, 1], d.PerClass!.Select(c => c.Support));
    }

    [Fact]
    public void Roc_and_precision_recall_points_of_a_small_ranking_and_the_models_operating_point()
    {
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.6f, 0.2f];
        bool[] positive = [true, false, true, true, false, false];
        bool[] decided = [true, true, true, false, false, false];
        var d = ClassificationDiagnostics.WithCurves(new TestDiagnostics(), scores, positive, decided);
        Assert.Equal([(0.0, 0.0), (0, 1 / 3.0), (1 / 3.0, 1 / 3.0), (1 / 3.0, 2 / 3.0), (2 / 3.0, 1), (1, 1)], d.Roc!.Select(p => (p.X, p.Y)));
        Assert.Equal([(1 / 3.0, 1.0), (1 / 3.0, 0.5), (2 / 3.0, 2 / 3.0), (1, 0.6), (1, 0.5)], d.PrecisionRecall!.Select(p => (p.X, p.Y)));
        // Trapezoids under the ROC curve = Mann-Whitney AUC: (6 pairs ranked right + a tie counted half) of 9.
        double area = d.Roc!.Zip(d.Roc!.Skip(1), (a, b) => (b.X - a.X) * (a.Y + b.Y) / 2).Sum();
        Assert.Equal(6.5 / 9, area, 12);
        Assert.Equal(new OperatingPoint(1 / 3.0, 2 / 3.0, 2 / 3.0), d.Operating);
        Assert.Equal(0.5, d.PositiveShare);
    }

    private sealed class Row
    {
        public float Signal { get; set; }
        public float Noise { get; set; }
        public bool Label { get; set; }
    }

    [Fact]
    public void Permutation_importance_finds_the_column_the_model_reads_and_not_the_noise()
    {
        var ml = new MLContext(1);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            float signal = (float)random.NextDouble();
            return new Row { Signal = signal, Noise = (float)random.NextDouble(), Label = signal + 0.2 * random.NextDouble() > 0.6 };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Concatenate("Features", "Signal", "Noise").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data);
        double Auc(IDataView scored) => ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve;
        var (importance, note) = PermutationImportance.Compute(model, data, [("Signal", "Signal"), ("Noise", "Noise")], Auc, higherIsBetter: true, seed: 1, seconds: 60);
        Assert.Null(note);
        Assert.Equal("Signal", importance[0].Column);
        Assert.True(importance[0].Drop > 0.3, $"Signal: {importance[0].Drop}");
        Assert.True(Math.Abs(importance[1].Drop) < 0.02, $"Noise: {importance[1].Drop}");
        // No time: nothing computed, and the note says why.
        var (none, why) = PermutationImportance.Compute(model, data, [("Signal", "Signal"), ("Noise", "Noise")], Auc, true, 1, seconds: 0);
        Assert.Empty(none);
        Assert.Contains("0 of 2 columns", why);
    }
}
