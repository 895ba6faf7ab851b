using Microsoft.ML;
using Mlx.FeatureEngineering.PowerTransforms;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.PowerTransforms;

/// <summary>
/// A slot whose values lie in a narrow band far from zero (calendar years) has a flat profile likelihood: λ is not
/// determined by the data. The fit must say so (log channel and SlotWarnings) and use the documented λ = 1, never the
/// arbitrary λ where Brent stopped; well-determined slots beside it are fitted as usual.
/// </summary>
public class DegenerateLikelihoodTests
{
    // Years 2006..2010: uniform (flat likelihood: sklearn's λ ≈ 31 fits no better than λ ≈ 62) or skewed towards recent
    // years (a well-determined λ ≈ 597, checked with scikit-learn, whose transform overflows a double), beside a
    // lognormal-looking slot whose λ is well determined.
    private static double[][] Rows(bool skewed) => Enumerable.Range(0, 400)
        .Select(i => new[] { 2006.0 + (skewed ? Math.Min(4, (int)Math.Sqrt(i % 25)) : i % 5), Math.Exp(Math.Sin(i * 0.37) * 1.5) })
        .ToArray();

    [Theory]
    [InlineData(PowerTransformMethod.BoxCox, false, "flat")]
    [InlineData(PowerTransformMethod.BoxCox, true, "beyond the range of a double")]
    [InlineData(PowerTransformMethod.YeoJohnson, false, "flat")]
    public void Degenerate_slot_is_reported_and_gets_lambda_one(PowerTransformMethod method, bool skewed, string reason)
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
        var data = DataViews.FromRows(ml, Rows(skewed), ["year", "dose"]);
        var model = ml.Transforms.PowerTransform(new PowerTransformOptions { OutputColumnName = "P", InputColumnName = "Features", Method = method, Standardize = true }).Fit(data);

        Assert.NotNull(model.SlotWarnings[0]);
        Assert.Contains(reason, model.SlotWarnings[0]);
        Assert.Equal(PowerTransformFitter.FallbackLambda, model.Lambdas[0]);
        Assert.Null(model.SlotWarnings[1]);
        Assert.NotEqual(1.0, model.Lambdas[1]);
        Assert.Contains(warnings, w => w.Contains("slot 0 ('year')") && w.Contains("λ = 1"));

        // λ = 1 with standardization is plain standardization of the years (up to Single rounding): finite, never NaN.
        var years = Rows(skewed).Select(r => r[0]).ToArray();
        double mean = years.Average(), sd = Math.Sqrt(years.Sum(y => (y - mean) * (y - mean)) / years.Length);
        var output = DataViews.ReadVectors(model.Transform(data), "P");
        for (int i = 0; i < years.Length; i++)
            Assert.Equal((years[i] - mean) / sd, output[i][0], 1e-4);
    }

    [Fact]
    public void Warnings_survive_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Rows(skewed: false), ["year", "dose"]);
        var model = ml.Transforms.NormalizeBoxCox("P", "Features").Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = (PowerTransformer)ml.Model.Load(stream, out _);
        Assert.Equal(model.SlotWarnings, loaded.SlotWarnings);
        Assert.Equal(model.Lambdas, loaded.Lambdas);
    }

    [Fact]
    public void A_saved_lambda_overwritten_with_NaN_is_reported_as_a_damaged_model()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Rows(skewed: false), ["year", "dose"]);
        var model = ml.Transforms.NormalizeBoxCox("P", "Features").Fit(data);
        var bytes = SavedModelBytes.Save(ml, model, data.Schema);
        var damaged = SavedModelBytes.Replace(bytes, BitConverter.GetBytes(model.Lambdas[1]), BitConverter.GetBytes(double.NaN));
        var error = SavedModelBytes.LoadFails(ml, damaged);
        Assert.Contains("MlxPowerTransform", error.Message);
        // The state's checksum catches it before the value is read (formats before the checksum: "lambdas [1]" is not finite).
        Assert.Contains("SHA-256", error.Message);
    }
}
