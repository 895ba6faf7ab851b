using Microsoft.ML;
using Xunit;

namespace Mlx.Workflow.Tests.Problem;

public sealed class TaskDetectionTests
{
    private static readonly MLContext Ml = new(1);

    private sealed class TextRow { public string Label { get; set; } = ""; }

    private sealed class NumberRow { public float Label { get; set; } }

    private static LabelValues Text(params string[] values) => LabelValues.Read(Ml.Data.LoadFromEnumerable(values.Select(v => new TextRow { Label = v })), "Label");

    private static LabelValues Numbers(params float[] values) => LabelValues.Read(Ml.Data.LoadFromEnumerable(values.Select(v => new NumberRow { Label = v })), "Label");

    [Fact]
    public void Text_label_with_two_values_is_binary_and_with_more_multiclass()
    {
        Assert.Equal(TaskKind.BinaryClassification, TaskDetection.Detect(Text("good", "bad", "good", ""), null).Task);
        Assert.Equal(TaskKind.MulticlassClassification, TaskDetection.Detect(Text("a", "b", "c", "a"), null).Task);
    }

    [Fact]
    public void Integer_labels_are_classes_up_to_twenty_values_and_other_numbers_a_quantity()
    {
        Assert.Equal(TaskKind.BinaryClassification, TaskDetection.Detect(Numbers(0, 1, 1, 0), null).Task);
        Assert.Equal(TaskKind.MulticlassClassification, TaskDetection.Detect(Numbers(0, 1, 2, 2, 1), null).Task);
        Assert.Equal(TaskKind.Regression, TaskDetection.Detect(Numbers(Enumerable.Range(0, 21).Select(i => (float)i).ToArray()), null).Task);
        Assert.Equal(TaskKind.Regression, TaskDetection.Detect(Numbers(0.5f, 1, 2), null).Task);
    }

    [Fact]
    public void A_label_with_one_value_or_none_is_refused_with_the_reason()
    {
        var one = Assert.Throws<InvalidOperationException>(() => TaskDetection.Detect(Text("yes", "yes", ""), null));
        Assert.Contains("one value ('yes')", one.Message);
        Assert.Contains("nothing to learn", one.Message);
        var none = Assert.Throws<InvalidOperationException>(() => TaskDetection.Detect(Numbers(float.NaN, float.NaN), null));
        Assert.Contains("no values", none.Message);
    }

    [Fact]
    public void A_requested_task_is_checked_against_the_label()
    {
        Assert.Equal(TaskKind.Regression, TaskDetection.Detect(Numbers(0, 1, 2), TaskKind.Regression).Task);
        Assert.Contains("not 2", Assert.Throws<InvalidOperationException>(() => TaskDetection.Detect(Numbers(0, 1, 2), TaskKind.BinaryClassification)).Message);
        Assert.Contains("text", Assert.Throws<ArgumentException>(() => TaskDetection.Detect(Text("a", "b"), TaskKind.Regression)).Message);
    }

    [Fact]
    public void The_positive_class_is_named_by_the_caller_or_by_its_name_or_is_the_rarer_one()
    {
        Assert.Equal("1", Pos(Numbers(1, 0, 0, 0, 1), null));
        Assert.Equal("yes", Pos(Text("no", "yes", "yes", "yes"), null));
        Assert.Equal("bad", Pos(Text("good", "bad", "good", "good"), null));
        Assert.Equal("good", Pos(Text("good", "bad", "good", "good"), "GOOD"));
        Assert.Contains("Name one of: bad, good", Assert.Throws<ArgumentOutOfRangeException>(() => Pos(Text("good", "bad"), "ugly")).Message);

        static string Pos(LabelValues labels, string? positive)
        {
            var classes = ClassLabels.Create(labels, null, positive, binary: true);
            return classes.Names[classes.Positive];
        }
    }

    private sealed class TwoOutputs
    {
        public float A { get; set; }
        public float B { get; set; }
    }

    private static LabelVectors Vectors(params (float A, float B)[] rows) =>
        LabelVectors.Read(Ml.Data.LoadFromEnumerable(rows.Select(r => new TwoOutputs { A = r.A, B = r.B })), ["A", "B"]);

    [Fact]
    public void Several_label_columns_are_multilabel_when_all_zero_one_else_vector_regression()
    {
        var multilabel = Vectors((0, 1), (1, 1), (1, 0), (float.NaN, 0));
        Assert.Equal(TaskKind.MultilabelClassification, TaskDetection.DetectVector(multilabel, null).Task);
        Assert.True(multilabel.IsMissing(3));
        Assert.Equal(["A", "B"], multilabel.Names);
        Assert.Equal(TaskKind.VectorRegression, TaskDetection.DetectVector(Vectors((0, 1.5f), (1, 2), (2, 0)), null).Task);
        Assert.Contains("'B'", Assert.Throws<InvalidOperationException>(() => TaskDetection.DetectVector(Vectors((0, 1), (1, 1)), null)).Message);
        Assert.Contains("not yes/no", Assert.Throws<InvalidOperationException>(() => TaskDetection.DetectVector(Vectors((0, 2), (1, 1)), TaskKind.MultilabelClassification)).Message);
        Assert.Throws<ArgumentException>(() => TaskDetection.DetectVector(multilabel, TaskKind.Regression));
    }
}
