using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.LogExp;

public class LogExpTests
{
    private static readonly string[] Names = ["income", "rate"];
    private static readonly double[][] Rows = [[0.0, 1e-7], [9.0, -0.5], [1e6, 3.0], [double.NaN, 0.25]];

    [Fact]
    public void Log_at_offset_1_is_log1p_and_keeps_precision_near_zero()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Rows, Names);
        var output = DataViews.ReadVectors(ml.Transforms.LogTransform("Out", "Features").Fit(data).Transform(data), "Out");
        for (int i = 0; i < Rows.Length; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                double x = (float)Rows[i][j];
                // Reference: double.LogP1 is log(1 + x); for |x| < 1e-4 use the series, which log(1 + x) loses.
                double expected = Math.Abs(x) < 1e-4 ? x - x * x / 2 : Math.Log(1 + x);
                if (double.IsNaN(x))
                    Assert.True(float.IsNaN(output[i][j]));
                else
                    Assert.Equal(expected, output[i][j], Math.Max(Math.Abs(expected), 1e-30) * 1e-6);
            }
        }
    }

    [Fact]
    public void Exp_inverts_log_for_any_offset_and_keeps_slot_names()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Rows, Names);
        var pipeline = ml.Transforms.LogTransform("Log", "Features", offset: 2.5)
            .Append(ml.Transforms.ExpTransform("Back", "Log", offset: 2.5));
        var transformed = pipeline.Fit(data).Transform(data);
        var back = DataViews.ReadVectors(transformed, "Back");
        var log = DataViews.ReadVectors(transformed, "Log");
        Assert.Equal(Math.Log(9.0 + 2.5), log[1][0], 1e-6);
        for (int i = 0; i < Rows.Length; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                if (double.IsNaN(Rows[i][j]))
                    continue;
                Assert.Equal((float)Rows[i][j], back[i][j], Math.Abs(Rows[i][j]) * 1e-6 + 1e-6);
            }
        }
        Assert.Equal(Names, DataViews.SlotNames(transformed.Schema["Back"]));
    }

    [Fact]
    public void Log_of_a_value_at_or_below_minus_offset_names_column_slot_row()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, [[1.0, 0.0], [2.0, -1.0]], Names);
        var e = Throws.Within<ArgumentOutOfRangeException>(() =>
            DataViews.ReadVectors(ml.Transforms.LogTransform("Out", "Features").Fit(data).Transform(data), "Out"));
        Assert.Contains("column 'Features' slot 1 ('rate') (cursor position 1)", e.Message); // the slot's source column named
        Assert.Contains("x + offset > 0", e.Message);
        Assert.Contains("found -1", e.Message);
    }

    [Fact]
    public void Exp_overflow_is_an_error_not_infinity()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromValues(ml, [1.0, 100.0]);
        var e = Throws.Within<ArgumentOutOfRangeException>(() =>
            DataViews.ReadScalars(ml.Transforms.ExpTransform("Out", "Value").Fit(data).Transform(data), "Out"));
        Assert.Contains("overflows Single", e.Message);
    }

    [Fact]
    public void Saved_model_loads_in_a_new_process_with_bit_identical_output()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Rows, Names);
        var model = ml.Transforms.LogTransform("Log", "Features").Append(ml.Transforms.ExpTransform("Exp", "Log", offset: 0)).Fit(data);
        var expected = model.Transform(data);
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        foreach (var column in new[] { "Log", "Exp" })
            Assert.Equal(Bits(DataViews.ReadVectors(expected, column)), Bits(DataViews.ReadVectors(actual, column)));
    }

    internal static IEnumerable<int> Bits(float[][] rows) => rows.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits);
}
