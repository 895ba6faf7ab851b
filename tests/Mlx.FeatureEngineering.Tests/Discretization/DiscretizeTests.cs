using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Discretization;

public class DiscretizeTests
{
    private static readonly string[] Names = ["age", "dose"];

    // age: 0..99 uniform; dose: exponential-looking values.
    private static double[][] Data() => Enumerable.Range(0, 100).Select(i => new[] { (double)i, Math.Exp(i / 20.0) }).ToArray();

    [Fact]
    public void Uniform_edges_are_linspace_and_out_of_range_values_go_to_end_bins()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Discretize("Bins", "Features", 4, BinningStrategy.Uniform).Fit(DataViews.FromRows(ml, Data(), Names));
        Assert.Equal(new[] { 0, 24.75, 49.5, 74.25, 99 }, model.BinEdges[0]);
        var probe = DataViews.FromRows(ml, [[-5.0, 1.0], [24.75, 1.0], [24.7, 1.0], [1e9, 1e9]], Names);
        var bins = DataViews.ReadVectors(model.Transform(probe), "Bins");
        Assert.Equal(new[] { 0f, 1f, 0f, 3f }, bins.Select(r => r[0]));
        Assert.Equal(3f, bins[3][1]);
    }

    [Fact]
    public void Quantile_bins_hold_equal_counts()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Data(), Names);
        var bins = DataViews.ReadVectors(ml.Transforms.Discretize("Bins", "Features", 5).Fit(data).Transform(data), "Bins");
        for (int j = 0; j < 2; j++)
        {
            for (int b = 0; b < 5; b++)
                Assert.Equal(20, bins.Count(r => r[j] == b));
        }
    }

    [Fact]
    public void OneHot_has_one_indicator_per_bin_with_interval_slot_names()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Data(), Names);
        var model = ml.Transforms.Discretize("Bins", "Features", 4, BinningStrategy.Uniform, BinEncoding.OneHot).Fit(data);
        var transformed = model.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 8), transformed.Schema["Bins"].Type);
        Assert.Equal(new[] { "age<24.75", "age[24.75,49.5)", "age[49.5,74.25)", "age>=74.25" }, DataViews.SlotNames(transformed.Schema["Bins"])![..4]);
        var rows = DataViews.ReadVectors(transformed, "Bins");
        Assert.All(rows, r => Assert.Equal(2f, r.Sum()));
        Assert.Equal(new float[] { 0, 1, 0, 0 }, rows[30][..4]);
    }

    [Fact]
    public void NaN_is_ignored_when_fitting_and_kept_in_the_output()
    {
        var ml = new MLContext(seed: 1);
        var rows = Data().Append([double.NaN, 2.0]).ToArray();
        var model = ml.Transforms.Discretize("Bins", "Features", 4, BinningStrategy.Uniform).Fit(DataViews.FromRows(ml, rows, Names));
        Assert.Equal(99, model.BinEdges[0][^1]);
        var ordinal = DataViews.ReadVectors(model.Transform(DataViews.FromRows(ml, rows, Names)), "Bins");
        Assert.True(float.IsNaN(ordinal[^1][0]));
        Assert.Equal(0f, ordinal[^1][1]);

        var oneHot = ml.Transforms.Discretize("Bins", "Features", 4, BinningStrategy.Uniform, BinEncoding.OneHot).Fit(DataViews.FromRows(ml, rows, Names));
        var last = DataViews.ReadVectors(oneHot.Transform(DataViews.FromRows(ml, rows, Names)), "Bins")[^1];
        Assert.All(last[..4], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(new float[] { 1, 0, 0, 0 }, last[4..]);
    }

    [Fact]
    public void Constant_slot_gets_one_bin_as_in_sklearn()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 10).Select(i => new[] { 3.0, i }).ToArray();
        var model = ml.Transforms.Discretize("Bins", "Features", 3).Fit(DataViews.FromRows(ml, rows, Names));
        Assert.Equal(1, model.BinCounts[0]);
        Assert.All(DataViews.ReadVectors(model.Transform(DataViews.FromRows(ml, rows, Names)), "Bins"), r => Assert.Equal(0f, r[0]));
    }

    [Fact]
    public void Scalar_input_gives_scalar_ordinal_and_vector_one_hot()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromValues(ml, Enumerable.Range(0, 50).Select(i => (double)i));
        var ordinal = ml.Transforms.Discretize("Bin", "Value", 5).Fit(data).Transform(data);
        Assert.Equal(NumberDataViewType.Single, ordinal.Schema["Bin"].Type);
        var oneHot = ml.Transforms.Discretize("Bin", "Value", 5, encoding: BinEncoding.OneHot).Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 5), oneHot.Schema["Bin"].Type);
        Assert.StartsWith("Value<", DataViews.SlotNames(oneHot.Schema["Bin"])![0]);
    }

    [Fact]
    public void Saved_models_load_in_a_new_process_with_identical_output()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Data(), Names);
        var model = ml.Transforms.Discretize("Q", "Features")
            .Append(ml.Transforms.Discretize("K", "Features", 3, BinningStrategy.KMeans, BinEncoding.OneHot))
            .Fit(data);
        var expected = model.Transform(data);
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        foreach (var column in new[] { "Q", "K" })
            Assert.Equal(DataViews.ReadVectors(expected, column), DataViews.ReadVectors(actual, column));
        Assert.Equal(DataViews.SlotNames(expected.Schema["K"]), DataViews.SlotNames(actual.Schema["K"]));
    }

    [Fact]
    public void Bad_arguments_and_empty_data_are_rejected()
    {
        var ml = new MLContext(seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Discretize("B", "Value", binCount: 1));
        var empty = ml.Data.LoadFromEnumerable(new List<ScalarRow>());
        var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Discretize("B", "Value").Fit(empty));
        Assert.Contains("no rows", e.Message);
        var inf = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Discretize("B", "Value").Fit(DataViews.FromValues(ml, [1.0, double.PositiveInfinity])));
        Assert.Contains("finite", inf.Message);
    }
}
