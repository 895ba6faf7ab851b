using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Numerics;
using Mlx.FeatureEngineering.Projection;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Projection;

/// <summary>Exact PCA against scikit-learn 1.2.1 <c>PCA(svd_solver='full')</c> (golden signs: largest |entry| positive).</summary>
public class PcaTests
{
    public static TheoryData<string> Datasets => new() { "iris", "wine", "breast_cancer", "diabetes", "diabetes_scaled", "mixed_cat" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Pipeline_matches_sklearn(string dataset)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var pca = golden.At("pca");
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv")).Numeric(columns);
        var expectedComponents = GoldenJson.Matrix(pca.GetProperty("components"));
        int rank = expectedComponents.Length;

        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, rows, columns);
        var model = ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", rank).Fit(data);

        // Float32 input: 1e-4 relative (components: 1e-4 absolute, they are unit vectors).
        for (int k = 0; k < rank; k++)
            Tolerance.Close(expectedComponents[k], model.Components[k].ToArray(), 1e-4, what: $"component {k}");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("explained_variance")), model.ExplainedVariance.ToArray(), 1e-4, floor: 1e-12, what: "explained variance");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("explained_variance_ratio")), model.ExplainedVarianceRatio.ToArray(), 1e-4, floor: 1e-12, what: "ratio");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("singular_values")), model.SingularValues.ToArray(), 1e-4, floor: 1e-12, what: "singular values");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("mean")), model.Mean.ToArray(), 1e-6, floor: 1.0, what: "mean"); // near-zero means: 1e-6 absolute
        Assert.Equal(GoldenJson.Number(pca.GetProperty("noise_variance")), model.NoiseVariance, Math.Max(1e-12, 1e-4 * GoldenJson.Number(pca.GetProperty("noise_variance"))));

        var output = DataViews.ReadVectors(model.Transform(data), "Pca");
        var first5 = GoldenJson.Matrix(pca.GetProperty("first5"));
        double scale = Math.Sqrt(model.ExplainedVariance[0]);
        for (int i = 0; i < 5; i++)
            Tolerance.Close(first5[i], output[i].Select(v => (double)v).ToArray(), 1e-4, floor: scale * 1e-2, what: $"row {i}");
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Float64_solution_matches_sklearn_to_1e_8(string dataset)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var pca = golden.At("pca");
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv")).Numeric(columns);
        var expectedComponents = GoldenJson.Matrix(pca.GetProperty("components"));
        var scatter = new ScatterAccumulator(columns.Length);
        // Feed in uneven blocks to exercise the merge.
        foreach (var chunk in rows.Chunk(37))
            scatter.Add(TestBlocks.Of(chunk));
        var solution = PcaSolution.Solve(scatter.Scatter(), rows.Length, expectedComponents.Length);
        for (int k = 0; k < expectedComponents.Length; k++)
            Tolerance.Close(expectedComponents[k], solution.Components[k], 1e-8, what: $"component {k}");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("explained_variance")), solution.ExplainedVariance, 1e-9, floor: 1e-12, what: "explained variance");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("singular_values")), solution.SingularValues, 1e-9, floor: 1e-12, what: "singular values");
        Tolerance.Close(GoldenJson.Vector(pca.GetProperty("mean")), scatter.Mean.ToArray(), 1e-12, floor: 1.0, what: "mean");
    }

    [Fact]
    public void Fewer_rows_than_columns_take_the_Gram_route_to_the_covariance_routes_numbers()
    {
        // Wine's first 10 rows of 13 columns: the 10×10 Gram matrix against the 13×13 covariance, in double.
        var columns = GoldenJson.Strings(GoldenJson.LoadSklearn("wine").At("meta", "numeric_features"));
        var rows = CsvTable.Load(RepoPaths.SklearnGolden("wine.csv")).Numeric(columns).Take(10).ToArray();
        var scatter = new ScatterAccumulator(columns.Length);
        scatter.Add(TestBlocks.Of(rows));
        var byCovariance = PcaSolution.Solve(scatter.Scatter(), rows.Length, 5);
        var mean = scatter.Mean.ToArray();
        var byGram = PcaSolution.SolveFromRows(rows.Select(r => r.Select((v, j) => v - mean[j]).ToArray()).ToArray(), 5)!;
        for (int k = 0; k < 5; k++)
            Tolerance.Close(byCovariance.Components[k], byGram.Components[k], 1e-7, what: $"component {k}");
        Tolerance.Close(byCovariance.ExplainedVariance, byGram.ExplainedVariance, 1e-9, what: "explained variance");
        Tolerance.Close(byCovariance.ExplainedVarianceRatio, byGram.ExplainedVarianceRatio, 1e-9, what: "ratio");
        Tolerance.Close(byCovariance.SingularValues, byGram.SingularValues, 1e-9, what: "singular values");
        Assert.Equal(byCovariance.NoiseVariance, byGram.NoiseVariance, 1e-9 * byCovariance.NoiseVariance);

        // Through the estimator (which picks the route by shape): the same projection.
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", 5).Fit(DataViews.FromRows(ml, rows, columns));
        for (int k = 0; k < 5; k++)
            Tolerance.Close(byCovariance.Components[k], model.Components[k].ToArray(), 1e-6, what: $"fitted component {k}");
    }

    [Fact]
    public void Thirty_rows_of_five_thousand_columns_fit_in_seconds()
    {
        // A 5,000 × 5,000 covariance decomposition took minutes; the 30 × 30 Gram matrix takes milliseconds.
        var wine = CsvTable.Load(RepoPaths.SklearnGolden("wine.csv")).Numeric(GoldenJson.Strings(GoldenJson.LoadSklearn("wine").At("meta", "numeric_features")));
        var rows = Enumerable.Range(0, 30).Select(i => Enumerable.Range(0, 5_000).Select(j => wine[(i + j / 13) % wine.Length][j % 13] * (1 + 0.001 * j)).ToArray()).ToArray();
        var names = Enumerable.Range(0, 5_000).Select(j => $"x{j}").ToArray();
        var ml = new MLContext(seed: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", 10).Fit(DataViews.FromRows(ml, rows, names));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"PCA of 30 × 5,000 took {clock.Elapsed.TotalSeconds:0.0} s");
        // Orthonormal axes, variances in decreasing order.
        for (int a = 0; a < 10; a++)
        {
            for (int b = 0; b <= a; b++)
                Assert.Equal(a == b ? 1.0 : 0.0, model.Components[a].Zip(model.Components[b], (x, y) => x * y).Sum(), 1e-8);
        }
        Assert.True(model.ExplainedVariance.Zip(model.ExplainedVariance.Skip(1), (x, y) => x >= y).All(ordered => ordered));
    }

    [Fact]
    public void Whitened_components_have_unit_variance_and_slots_are_named()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        var rows = Enumerable.Range(0, 500).Select(_ => { double a = random.NextDouble(), b = random.NextDouble(); return new[] { a, 2 * a + 0.1 * b, b - a, 3.0 }; }).ToArray();
        var data = DataViews.FromRows(ml, rows);
        var transformed = ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", rank: 2, whiten: true).Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), transformed.Schema["Pca"].Type);
        Assert.Equal(new[] { "PC1", "PC2" }, DataViews.SlotNames(transformed.Schema["Pca"]));
        var output = DataViews.ReadVectors(transformed, "Pca");
        for (int k = 0; k < 2; k++)
        {
            var column = output.Select(r => (double)r[k]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1.0, column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1), 1e-4);
        }
    }

    [Fact]
    public void Large_offsets_do_not_cost_precision()
    {
        // Values around 1e6 with unit spread: a naive Σxxᵀ − n·mean·meanᵀ loses every digit of the covariance.
        var ml = new MLContext(seed: 1);
        var random = new Random(9);
        var rows = Enumerable.Range(0, 2000).Select(_ => { double a = random.NextDouble() - 0.5; return new[] { 1e6 + a, 1e6 + 2 * a, 1e6 - a }; }).ToArray();
        var model = ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", rank: 1).Fit(DataViews.FromRows(ml, rows));
        var axis = new[] { 1, 2, -1 }.Select(v => v / Math.Sqrt(6)).ToArray();
        // Float32 storage of 1e6 + a rounds a to 1/16: the axis is still (1, 2, −1)/√6 to 1e-3.
        Tolerance.Close(axis, model.Components[0].ToArray(), 1e-3, what: "axis");
    }

    [Fact]
    public void Saved_model_loads_in_a_new_process_with_identical_output()
    {
        var ml = new MLContext(seed: 1);
        var golden = GoldenJson.LoadSklearn("wine");
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var data = DataViews.FromRows(ml, CsvTable.Load(RepoPaths.SklearnGolden("wine.csv")).Numeric(columns), columns);
        var model = ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "Features", 3, whiten: true).Fit(data);
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N")));
        Assert.Equal(DataViews.ReadVectors(model.Transform(data), "Pca"), DataViews.ReadVectors(actual, "Pca"));
    }

    [Fact]
    public void Bad_input_is_rejected_clearly()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, [[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]], ["a", "b"]);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ProjectToPrincipalComponentsExact("P", "Features", rank: 3).Fit(data));
        Assert.Contains("rank 3 is larger than the 2 slots", tooMany.Message);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.ProjectToPrincipalComponentsExact("P", "Features", 1).Fit(DataViews.FromRows(ml, [[1.0, 2.0], [double.NaN, 1.0]], ["a", "b"])));
        Assert.Contains("slot 0 ('a') at row 1", nan.Message);
        Assert.Contains("ReplaceMissingValues", nan.Message);
        var one = Assert.Throws<InvalidOperationException>(() =>
            ml.Transforms.ProjectToPrincipalComponentsExact("P", "Features", 1).Fit(DataViews.FromRows(ml, [[1.0, 2.0]], ["a", "b"])));
        Assert.Contains("at least 2 rows", one.Message);
    }
}
