using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>Bad data and options fail before training, with the column, the problem and the fix.</summary>
public class BadInputTests
{
    private static readonly double[][] Rows = { new[] { 1.0, 2 }, new[] { 2.0, 1 }, new[] { 3.0, 0 }, new[] { 0.0, 3 } };

    [Fact]
    public void NaN_feature_names_column_slot_and_row()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows.Select(r => r.ToArray()).ToArray();
        rows[2][1] = double.NaN;
        var data = Bool(ml, LabeledDataViews.WithNumericLabels(ml, rows, new[] { 0.0, 1, 0, 1 }));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(epochs: 1).Fit(data));
        Assert.Contains("column 'Features' slot 1 at row 2", e.Message);
        Assert.Contains("ReplaceMissingValues", e.Message);
    }

    [Fact]
    public void Infinite_label_is_refused_for_regression()
    {
        var ml = new MLContext(seed: 1);
        var data = LabeledDataViews.WithNumericLabels(ml, Rows, new[] { 0.0, double.PositiveInfinity, 0, 1 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork(epochs: 1).Fit(data));
        Assert.Contains("column 'Label' at row 1", e.Message);
    }

    [Fact]
    public void Wrong_label_types_point_to_the_conversion()
    {
        var ml = new MLContext(seed: 1);
        var text = LabeledDataViews.WithTextLabels(ml, Rows, new[] { "a", "b", "a", "b" });
        var binary = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(epochs: 1).Fit(text));
        Assert.Contains("Boolean", binary.Message);
        var multiclass = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(epochs: 1).Fit(text));
        Assert.Contains("MapValueToKey(\"Label\")", multiclass.Message);
        var regression = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.NeuralNetwork(epochs: 1).Fit(text));
        Assert.Contains("Single or Double", regression.Message);
    }

    [Fact]
    public void A_single_class_is_refused()
    {
        var ml = new MLContext(seed: 1);
        var data = Bool(ml, LabeledDataViews.WithNumericLabels(ml, Rows, new[] { 1.0, 1, 1, 1 }));
        var e = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(epochs: 1).Fit(data));
        Assert.Contains("single class", e.Message);
    }

    [Fact]
    public void Empty_data_and_bad_options_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var data = LabeledDataViews.WithNumericLabels(ml, Rows, new[] { 0.0, 1, 0, 1 });
        var empty = ml.Data.FilterRowsByColumn(data, "Label", 5, 6);
        var e = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.NeuralNetwork(epochs: 1).Fit(empty));
        Assert.Contains("no rows", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork(epochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork(batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Layer.Dropout(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizer.Adam(-1));
        var monitor = new NeuralNetworkOptions { EarlyStopping = new EarlyStopping(), Epochs = 1 };
        var noValidation = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.NeuralNetwork(monitor).Fit(data));
        Assert.Contains("ValidationFraction", noValidation.Message);
    }

    [Fact]
    public void Unknown_size_feature_vectors_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { new { Features = new float[] { 1, 2 }, Label = 1f }, new { Features = new float[] { 2, 1 }, Label = 0f } };
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new VarRow { Features = r.Features, Label = r.Label }));
        var e = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.NeuralNetwork(epochs: 1).Fit(data));
        Assert.Contains("unknown size", e.Message);
    }

    private static IDataView Bool(MLContext ml, IDataView data) =>
        ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean).Fit(data).Transform(data);

    public sealed class VarRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Label { get; set; }
    }
}
