using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.PowerTransforms;

/// <summary>The power transforms as ML.NET citizens: schema, laziness, save/load in a new process, PredictionEngine, NaN, determinism.</summary>
public class PowerTransformPipelineTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    private static double[][] Skewed(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new[]
        {
            Math.Exp(random.NextDouble() * 3), 1 + random.NextDouble() * random.NextDouble() * 10, 0.5 + Math.Pow(random.NextDouble(), 3),
        }).ToArray();
    }

    [Fact]
    public void Output_schema_keeps_shape_and_slot_names()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Skewed(200, 1), Names);
        var estimator = ml.Transforms.NormalizeBoxCox("Out", "Features");

        var shape = estimator.GetOutputSchema(SchemaShape.Create(data.Schema));
        Assert.True(shape.TryFindColumn("Out", out var column));
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, column.Kind);
        Assert.Equal(NumberDataViewType.Single, column.ItemType);
        Assert.True(column.Annotations.TryFindColumn("SlotNames", out _));

        var output = estimator.Fit(data).Transform(data).Schema["Out"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), output.Type);
        Assert.Equal(Names, DataViews.SlotNames(output));
    }

    [Fact]
    public void Scalar_column_maps_to_scalar_and_matches_formula()
    {
        var ml = new MLContext(seed: 1);
        var values = Skewed(300, 2).Select(r => r[0]).ToArray();
        var data = DataViews.FromValues(ml, values);
        var model = ml.Transforms.NormalizeBoxCox("Out", "Value").Fit(data);
        Assert.Equal(NumberDataViewType.Single, model.Transform(data).Schema["Out"].Type);
        double lambda = Assert.Single(model.Lambdas);
        var output = DataViews.ReadScalars(model.Transform(data), "Out");
        for (int i = 0; i < values.Length; i++)
        {
            double x = (float)values[i];
            Assert.Equal((float)((Math.Pow(x, lambda) - 1) / lambda), output[i], 5e-6f * Math.Max(1f, Math.Abs(output[i])));
        }
    }

    [Fact]
    public void Standardized_output_has_zero_mean_and_unit_variance()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Skewed(1000, 3), Names);
        var model = ml.Transforms.NormalizeYeoJohnson("Out", "Features", standardize: true).Fit(data);
        var output = DataViews.ReadVectors(model.Transform(data), "Out");
        for (int j = 0; j < 3; j++)
        {
            var column = output.Select(r => (double)r[j]).ToArray();
            double mean = column.Average();
            double variance = column.Select(v => (v - mean) * (v - mean)).Average();
            Assert.InRange(mean, -1e-5, 1e-5);
            Assert.InRange(variance, 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void Saved_model_loads_in_a_new_process_with_bit_identical_output()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Skewed(500, 4), Names);
        var pipeline = ml.Transforms.NormalizeBoxCox("BoxCox", "Features", standardize: true)
            .Append(ml.Transforms.NormalizeYeoJohnson("YeoJohnson", "Features"));
        var model = pipeline.Fit(data);
        var expected = model.Transform(data);

        var workDir = Path.Combine(Path.GetTempPath(), "mlx-tests", Guid.NewGuid().ToString("N"));
        var actual = ModelRoundTrip.TransformInNewProcess(ml, model, data, workDir);

        foreach (var column in new[] { "BoxCox", "YeoJohnson" })
        {
            var e = DataViews.ReadVectors(expected, column);
            var a = DataViews.ReadVectors(actual, column);
            Assert.Equal(e.Length, a.Length);
            for (int i = 0; i < e.Length; i++)
                Assert.Equal(e[i].Select(BitConverter.SingleToInt32Bits), a[i].Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(Names, DataViews.SlotNames(actual.Schema[column]));
        }
        Directory.Delete(workDir, recursive: true);
    }

    [Fact]
    public void Loaded_model_exposes_the_fitted_parameters()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Skewed(300, 5), Names);
        var model = ml.Transforms.NormalizeYeoJohnson("Out", "Features", standardize: true).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = Assert.IsType<PowerTransformer>(ml.Model.Load(stream, out _));
        Assert.Equal(PowerTransformMethod.YeoJohnson, loaded.Method);
        Assert.True(loaded.Standardize);
        Assert.Equal(model.Lambdas, loaded.Lambdas);
        Assert.Equal(model.Means, loaded.Means);
        Assert.Equal(model.Scales, loaded.Scales);
        Assert.Equal(model.LogLikelihoods, loaded.LogLikelihoods);
    }

    private sealed class Input
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Output
    {
        [VectorType(3)]
        public float[] Out { get; set; } = [];
    }

    [Fact]
    public void Works_in_PredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var rows = Skewed(300, 6);
        var data = DataViews.FromRows(ml, rows);
        var model = ml.Transforms.NormalizeBoxCox("Out", "Features", standardize: true).Fit(data);
        var batch = DataViews.ReadVectors(model.Transform(data), "Out");

        var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
        for (int i = 0; i < 5; i++)
        {
            var prediction = engine.Predict(new Input { Features = rows[i].Select(v => (float)v).ToArray() });
            Assert.Equal(batch[i], prediction.Out);
        }
    }

    [Fact]
    public void NaN_is_ignored_when_fitting_and_passes_through()
    {
        var ml = new MLContext(seed: 1);
        var rows = Skewed(400, 7);
        var withNaN = rows.Select((r, i) => i % 10 == 0 ? new[] { double.NaN, r[1], r[2] } : r).ToArray();
        var withoutRows = rows.Where((_, i) => i % 10 != 0).ToArray();

        var fitNaN = ml.Transforms.NormalizeBoxCox("Out", "Features").Fit(DataViews.FromRows(ml, withNaN));
        var fitDropped = ml.Transforms.NormalizeBoxCox("Out", "Features").Fit(DataViews.FromRows(ml, withoutRows));
        Assert.Equal(fitDropped.Lambdas[0], fitNaN.Lambdas[0]);

        var output = DataViews.ReadVectors(fitNaN.Transform(DataViews.FromRows(ml, withNaN)), "Out");
        Assert.True(float.IsNaN(output[0][0]));
        Assert.False(float.IsNaN(output[0][1]));
        Assert.False(float.IsNaN(output[1][0]));
    }

    [Fact]
    public void Fit_is_deterministic_and_independent_of_parallelism()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Skewed(2000, 8));
        PowerTransformer Fit(int? parallelism) => ml.Transforms.PowerTransform(new PowerTransformOptions
        {
            OutputColumnName = "Out", InputColumnName = "Features", Method = PowerTransformMethod.YeoJohnson,
            Standardize = true, MaxDegreeOfParallelism = parallelism,
        }).Fit(data);
        var a = Fit(null);
        var b = Fit(1);
        var c = Fit(null);
        Assert.Equal(a.Lambdas, b.Lambdas);
        Assert.Equal(a.Lambdas, c.Lambdas);
        Assert.Equal(a.Scales, b.Scales);
    }

    [Fact]
    public void Progress_reports_every_slot()
    {
        var ml = new MLContext(seed: 1);
        var reports = new List<PowerTransformProgress>();
        var progress = new SynchronousProgress<PowerTransformProgress>(reports.Add);
        ml.Transforms.PowerTransform(new PowerTransformOptions
        {
            OutputColumnName = "Out", InputColumnName = "Features", Progress = progress, MaxDegreeOfParallelism = 1,
        }).Fit(DataViews.FromRows(ml, Skewed(100, 9)));
        Assert.Equal([1, 2, 3], reports.Select(r => r.SlotsFitted));
        Assert.All(reports, r => Assert.Equal(3, r.SlotCount));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    [Fact]
    public void Transform_is_lazy()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Skewed(100, 10));
        var model = ml.Transforms.NormalizeBoxCox("Out", "Features").Fit(data);
        // A row with a non-positive value only fails when the row is read, not when Transform is called.
        var bad = DataViews.FromRows(ml, [[-1.0, 1.0, 1.0]]);
        var transformed = model.Transform(bad);
        Throws.Within<ArgumentOutOfRangeException>(() => DataViews.ReadVectors(transformed, "Out"));
    }
}
