using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.PowerTransforms;

/// <summary>Bad input gets a clear exception naming the column, slot/row, the problem and the fix.</summary>
public class PowerTransformBadInputTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Rows(params double[][] rows) => DataViews.FromRows(Ml, rows, ["size", "weight"]);

    [Fact]
    public void BoxCox_fit_on_non_positive_value_names_column_slot_row_and_points_to_YeoJohnson()
    {
        var data = Rows([1, 2], [3, 0], [2, 5]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.NormalizeBoxCox("Out", "Features").Fit(data));
        Assert.Contains("column 'Features' slot 1 ('weight') at row 1", e.Message);
        Assert.Contains("strictly positive", e.Message);
        Assert.Contains("found 0", e.Message);
        Assert.Contains("NormalizeYeoJohnson", e.Message);
    }

    [Fact]
    public void BoxCox_transform_of_negative_value_throws_naming_row()
    {
        var model = Ml.Transforms.NormalizeBoxCox("Out", "Features").Fit(Rows([1, 2], [3, 4], [2, 5]));
        var e = Throws.Within<ArgumentOutOfRangeException>(() => DataViews.ReadVectors(model.Transform(Rows([1, 2], [-0.5, 1])), "Out"));
        Assert.Contains("column 'Features' slot 0 ('size') (cursor position 1)", e.Message); // the slot's source column named
        Assert.Contains("found -0.5", e.Message);
        Assert.Contains("NormalizeYeoJohnson", e.Message);
    }

    [Fact]
    public void Infinite_values_are_rejected_at_fit_and_transform()
    {
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.NormalizeYeoJohnson("Out", "Features").Fit(Rows([1, 2], [3, double.PositiveInfinity], [2, 5])));
        Assert.Contains("slot 1 ('weight') at row 1", fit.Message);
        Assert.Contains("finite", fit.Message);

        var model = Ml.Transforms.NormalizeYeoJohnson("Out", "Features").Fit(Rows([1, 2], [3, 4], [2, 5]));
        var transform = Throws.Within<ArgumentOutOfRangeException>(() =>
            DataViews.ReadVectors(model.Transform(Rows([double.NegativeInfinity, 2])), "Out"));
        Assert.Contains("finite", transform.Message);
    }

    [Fact]
    public void Constant_slot_is_rejected_with_the_fix()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Ml.Transforms.NormalizeYeoJohnson("Out", "Features").Fit(Rows([1, 7], [3, 7], [2, 7])));
        Assert.Contains("Column 'Features' slot 1 ('weight')", e.Message);
        Assert.Contains("constant", e.Message);
        Assert.Contains("every value is 7", e.Message);
    }

    [Fact]
    public void Empty_data_is_rejected()
    {
        var empty = Ml.Data.LoadFromEnumerable(new List<ScalarRow>());
        var e = Assert.Throws<InvalidOperationException>(() => Ml.Transforms.NormalizeBoxCox("Out", "Value").Fit(empty));
        Assert.Contains("Column 'Value'", e.Message);
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void All_missing_slot_is_rejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Ml.Transforms.NormalizeBoxCox("Out", "Features").Fit(Rows([1, double.NaN], [3, double.NaN])));
        Assert.Contains("at least 2 non-missing values", e.Message);
    }

    private sealed class TextRow
    {
        public string Name { get; set; } = "";
    }

    [Fact]
    public void Wrong_column_type_is_rejected_at_pipeline_construction_and_fit()
    {
        var data = Ml.Data.LoadFromEnumerable(new[] { new TextRow { Name = "x" } });
        var estimator = Ml.Transforms.NormalizeBoxCox("Out", "Name");
        var e1 = Assert.Throws<ArgumentException>(() => estimator.GetOutputSchema(SchemaShape.Create(data.Schema)));
        Assert.Contains("Column 'Name' has type String", e1.Message);
        Assert.Contains("ConvertType", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => estimator.Fit(data));
        Assert.Contains("Column 'Name' has type String", e2.Message);
    }

    private sealed class VariableRow
    {
        [VectorType]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Variable_size_vector_is_rejected()
    {
        var data = Ml.Data.LoadFromEnumerable(new[] { new VariableRow { Features = [1, 2] } });
        var e = Assert.Throws<ArgumentException>(() => Ml.Transforms.NormalizeYeoJohnson("Out", "Features").Fit(data));
        Assert.Contains("known-size", e.Message);
    }

    [Fact]
    public void Missing_column_lists_the_available_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Ml.Transforms.NormalizeYeoJohnson("Out", "Featurez").Fit(Rows([1, 2], [3, 4])));
        Assert.Contains("'Featurez' was not found", e.Message);
        Assert.Contains("'Features'", e.Message);
    }

    [Fact]
    public void Transforming_a_column_of_another_size_is_rejected()
    {
        var model = Ml.Transforms.NormalizeYeoJohnson("Out", "Features").Fit(Rows([1, 2], [3, 4], [0, 1]));
        var wider = DataViews.FromRows(Ml, [[1.0, 2.0, 3.0]]);
        var e = Assert.Throws<ArgumentException>(() => model.Transform(wider));
        Assert.Contains("Vector<Single, 2>", e.Message);
    }
}
