using Microsoft.ML;
using Xunit;

namespace Mlx.Workflow.Tests.Tasks;

public sealed class BaselineTests
{
    private static readonly MLContext Ml = new(1);

    private sealed class NumberRow { public float Label { get; set; } }

    private sealed class TextRow { public string Label { get; set; } = ""; }

    private static LabelValues Numbers(IEnumerable<float> values) => LabelValues.Read(Ml.Data.LoadFromEnumerable(values.Select(v => new NumberRow { Label = v })), "Label");

    [Fact]
    public void Regression_baselines_are_the_training_mean_and_the_previous_value()
    {
        var y = Enumerable.Range(0, 50).Select(i => (float)(i * i % 17)).ToArray();
        var head = new RegressionHead(Ml, Numbers(y));
        int[] train = Enumerable.Range(0, 40).ToArray(), eval = Enumerable.Range(40, 10).ToArray();
        double mean = train.Average(r => (double)y[r]);
        var previous = Enumerable.Range(0, 50).Select(r => r - 1).ToArray();
        var baselines = head.Baselines(previous);
        Assert.Equal(eval.Average(r => Math.Abs(y[r] - (float)mean)), baselines[0].Evaluate(train, eval)["mae"], 5);
        Assert.Equal(eval.Average(r => Math.Abs(y[r] - y[r - 1])), baselines[1].Evaluate(train, eval)["mae"], 5);
        Assert.Single(head.Baselines(null));
    }

    [Fact]
    public void Binary_baseline_predicts_the_class_shares_AUC_one_half_accuracy_the_majority()
    {
        var y = Enumerable.Range(0, 100).Select(i => i % 4 == 0 ? 1f : 0f).ToArray();
        var head = new BinaryClassificationHead(Ml, Numbers(y), null);
        int[] train = Enumerable.Range(0, 60).ToArray(), eval = Enumerable.Range(60, 40).ToArray();
        var metrics = head.Baselines(null)[0].Evaluate(train, eval);
        double p = 0.25;
        Assert.Equal(0.5, metrics["auc"], 12);
        Assert.Equal(eval.Count(r => y[r] == 0) / 40.0, metrics["accuracy"], 12);
        // Log-loss of the constant probability p (ML.NET's log-loss is in bits).
        double bits = eval.Average(r => -Math.Log2(y[r] == 1 ? p : 1 - p));
        Assert.Equal(bits, metrics["log-loss"], 5);
        Assert.Equal("auc", head.ChooseMetric(train).Metric.Name);
    }

    [Fact]
    public void Multiclass_baseline_accuracy_is_the_share_of_the_training_majority()
    {
        var labels = Enumerable.Range(0, 90).Select(i => new TextRow { Label = i % 9 < 5 ? "a" : i % 9 < 8 ? "b" : "c" }).ToArray();
        var head = new MulticlassClassificationHead(Ml, LabelValues.Read(Ml.Data.LoadFromEnumerable(labels), "Label"));
        int[] train = Enumerable.Range(0, 45).ToArray(), eval = Enumerable.Range(45, 45).ToArray();
        var metrics = head.Baselines(null)[0].Evaluate(train, eval);
        Assert.Equal(eval.Count(r => labels[r].Label == "a") / 45.0, metrics["accuracy"], 12);
        Assert.Equal(1.0 / 3, metrics["macro-accuracy"], 12);
        // 25 / 15 / 5 training rows: largest / smallest = 5 > 3.
        Assert.Equal("macro-accuracy", head.ChooseMetric(train).Metric.Name);
        var balanced = Enumerable.Range(0, 90).Select(i => new TextRow { Label = "abc"[i % 3].ToString() });
        Assert.Equal("accuracy", new MulticlassClassificationHead(Ml, LabelValues.Read(Ml.Data.LoadFromEnumerable(balanced), "Label")).ChooseMetric(train).Metric.Name);
    }

    [Fact]
    public void Imbalanced_classes_choose_precision_recall_AUC_and_macro_accuracy()
    {
        var y = Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? 1f : 0f).ToArray();
        var binary = new BinaryClassificationHead(Ml, Numbers(y), null);
        Assert.Equal("auprc", binary.ChooseMetric(Enumerable.Range(0, 100).ToArray()).Metric.Name);
        var labels = Enumerable.Range(0, 100).Select(i => new TextRow { Label = i % 10 == 0 ? "rare" : i % 2 == 0 ? "x" : "y" });
        var multi = new MulticlassClassificationHead(Ml, LabelValues.Read(Ml.Data.LoadFromEnumerable(labels), "Label"));
        Assert.Equal("macro-accuracy", multi.ChooseMetric(Enumerable.Range(0, 100).ToArray()).Metric.Name);
    }
}
