using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Encoding;

public class DummyEncodingTests
{
    private sealed class Row
    {
        public string Color { get; set; } = "";
        public float Grade { get; set; }
    }

    private static List<Row> MixedCat()
    {
        var table = CsvTable.Load(RepoPaths.SklearnGolden("mixed_cat.csv"));
        int color = Array.IndexOf(table.Header, "color"), grade = Array.IndexOf(table.Header, "grade");
        return table.Rows.Select(r => new Row { Color = r[color], Grade = float.Parse(r[grade], System.Globalization.CultureInfo.InvariantCulture) }).ToList();
    }

    [Fact]
    public void Matches_sklearn_OneHotEncoder_drop_first_on_text_and_integer_columns()
    {
        var golden = GoldenJson.LoadSklearn("mixed_cat").At("one_hot");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MixedCat());
        var model = ml.Transforms.Categorical.DummyEncoding("ColorD", "Color")
            .Append(ml.Transforms.Categorical.DummyEncoding("GradeD", "Grade"))
            .Append(ml.Transforms.Concatenate("Dummies", "ColorD", "GradeD"))
            .Fit(data);
        var transformed = model.Transform(data);

        // sklearn names features col_value; Mlx col=value (Concatenate then prefixes the source column, as ML.NET does).
        var expectedNames = GoldenJson.Strings(golden.GetProperty("feature_names_out"))
            .Select(n => n.StartsWith("color_") ? "Color=" + n[6..] : "Grade=" + n[6..]).ToArray();
        Assert.Equal(expectedNames, DataViews.SlotNames(transformed.Schema["ColorD"])!.Concat(DataViews.SlotNames(transformed.Schema["GradeD"])!));

        var rows = DataViews.ReadVectors(transformed, "Dummies");
        var first5 = GoldenJson.Matrix(golden.GetProperty("first5"));
        for (int i = 0; i < 5; i++)
            Assert.Equal(first5[i].Select(v => (float)v), rows[i]);
        var sums = GoldenJson.Vector(golden.GetProperty("column_sums"));
        for (int k = 0; k < sums.Length; k++)
            Assert.Equal(sums[k], rows.Sum(r => r[k]));

        var color = (DummyEncodingTransformer)((IEnumerable<ITransformer>)model).First();
        Assert.Equal(["blue", "green", "red", "yellow"], color.Categories[0]);
        Assert.Equal("blue", color.DroppedCategories[0]);
    }

    private sealed class SexRow
    {
        public float Sex { get; set; }
    }

    [Fact]
    public void Matches_sklearn_on_diabetes_sex()
    {
        var golden = GoldenJson.LoadSklearn("diabetes").At("one_hot");
        var table = CsvTable.Load(RepoPaths.SklearnGolden("diabetes.csv"));
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(table.Numeric(["sex"]).Select(r => new SexRow { Sex = (float)r[0] }).ToList());
        var model = ml.Transforms.Categorical.DummyEncoding("D", "Sex").Fit(data);
        var rows = DataViews.ReadVectors(model.Transform(data), "D");
        Assert.Equal(["Sex=2"], model.OutputSlotNames);
        Assert.Equal(GoldenJson.Vector(golden.GetProperty("column_sums"))[0], rows.Sum(r => r[0]));
        Assert.Equal(GoldenJson.Matrix(golden.GetProperty("first5")).Select(r => (float)r[0]), rows.Take(5).Select(r => r[0]));
    }

    [Fact]
    public void Drop_modes_and_reference_level()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MixedCat());
        DummyEncodingTransformer Fit(DummyDrop drop, string? reference = null, string column = "Color") =>
            ml.Transforms.Categorical.DummyEncoding(new DummyEncodingOptions { OutputColumnName = "D", InputColumnName = column, Drop = drop, ReferenceLevel = reference }).Fit(data);

        Assert.Equal(["Color=blue", "Color=green", "Color=red", "Color=yellow"], Fit(DummyDrop.None).OutputSlotNames);
        Assert.Equal(4, Fit(DummyDrop.IfBinary).OutputSize); // four categories: nothing dropped
        var red = Fit(DummyDrop.First, reference: "red");
        Assert.Equal("red", red.DroppedCategories[0]);
        Assert.Equal(["Color=blue", "Color=green", "Color=yellow"], red.OutputSlotNames);
        Assert.Equal(["Grade=1", "Grade=2"], Fit(DummyDrop.None, reference: "3", column: "Grade").OutputSlotNames);
        var e = Assert.Throws<InvalidOperationException>(() => Fit(DummyDrop.First, reference: "purple"));
        Assert.Contains("reference level 'purple'", e.Message);
        Assert.Contains("'blue', 'green', 'red', 'yellow'", e.Message);
    }

    [Fact]
    public void Key_input_uses_key_order_and_key_names()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MixedCat());
        var transformed = ml.Transforms.Conversion.MapValueToKey("Key", "Color")
            .Append(ml.Transforms.Categorical.DummyEncoding("D", "Key", DummyDrop.None))
            .Fit(data).Transform(data);
        // MapValueToKey numbers categories by first appearance: green (row 0), red (row 1), ...
        var names = DataViews.SlotNames(transformed.Schema["D"])!;
        Assert.Equal("Key=green", names[0]);
        Assert.Equal("Key=red", names[1]);
        var colors = MixedCat().Select(r => r.Color).ToArray();
        var rows = DataViews.ReadVectors(transformed, "D");
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(1f, rows[i][Array.IndexOf(names, "Key=" + colors[i])]);
    }

    [Fact]
    public void Vector_input_encodes_each_slot_with_slot_named_indicators()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new { A = "x", B = "p" }, new { A = "y", B = "q" }, new { A = "x", B = "q" },
        }.Select(r => new TwoText { A = r.A, B = r.B }).ToList());
        var transformed = ml.Transforms.Concatenate("AB", "A", "B")
            .Append(ml.Transforms.Categorical.DummyEncoding("D", "AB", DummyDrop.None))
            .Fit(data).Transform(data);
        Assert.Equal(["A=x", "A=y", "B=p", "B=q"], DataViews.SlotNames(transformed.Schema["D"])!);
        Assert.Equal(new float[] { 0, 1, 0, 1 }, DataViews.ReadVectors(transformed, "D")[1]);
    }

    private sealed class TwoText
    {
        public string A { get; set; } = "";
        public string B { get; set; } = "";
    }

    [Fact]
    public void Unknown_categories_throw_or_become_zeros_and_missing_values_are_zeros()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MixedCat());
        var test = ml.Data.LoadFromEnumerable(new List<Row> { new() { Color = "purple" }, new() { Color = "" }, new() { Color = "red" } });

        var strict = ml.Transforms.Categorical.DummyEncoding("D", "Color", DummyDrop.None).Fit(train);
        var e = Throws.Within<ArgumentOutOfRangeException>(() => DataViews.ReadVectors(strict.Transform(test), "D"));
        Assert.Contains("column 'Color'", e.Message);
        Assert.Contains("found 'purple'", e.Message);
        Assert.Contains("UnknownCategory.AllZeros", e.Message);

        var lenient = ml.Transforms.Categorical.DummyEncoding("D", "Color", DummyDrop.None, UnknownCategory.AllZeros).Fit(train);
        var rows = DataViews.ReadVectors(lenient.Transform(test), "D");
        Assert.Equal(new float[4], rows[0]);
        Assert.Equal(new float[4], rows[1]);
        Assert.Equal(new float[] { 0, 0, 1, 0 }, rows[2]);
    }

    [Fact]
    public void Saved_model_loads_in_a_new_process_with_identical_output()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MixedCat());
        var model = ml.Transforms.Categorical.DummyEncoding("ColorD", "Color", unknown: UnknownCategory.AllZeros)
            .Append(ml.Transforms.Categorical.DummyEncoding("GradeD", "Grade", DummyDrop.IfBinary))
            .Append(ml.Transforms.Conversion.MapValueToKey("Key", "Color"))
            .Append(ml.Transforms.Categorical.DummyEncoding("KeyD", "Key"))
            .Fit(data);
        var expected = model.Transform(data);
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        foreach (var column in new[] { "ColorD", "GradeD", "KeyD" })
        {
            Assert.Equal(DataViews.ReadVectors(expected, column), DataViews.ReadVectors(actual, column));
            Assert.Equal(DataViews.SlotNames(expected.Schema[column]), DataViews.SlotNames(actual.Schema[column]));
        }
    }

    private sealed class BoolRow
    {
        public bool Flag { get; set; }
    }

    [Fact]
    public void Unsupported_types_and_empty_data_are_rejected()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new BoolRow { Flag = true } });
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.Categorical.DummyEncoding("D", "Flag").Fit(data));
        Assert.Contains("Column 'Flag' has type Boolean", e.Message);
        var empty = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.Categorical.DummyEncoding("D", "Color").Fit(ml.Data.LoadFromEnumerable(new List<Row>())));
        Assert.Contains("no category", empty.Message);
    }
}
