using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.PowerTransforms;

/// <summary>
/// Agreement with scikit-learn 1.2.1 <c>PowerTransformer</c> on every golden dataset
/// (tests/golden/sklearn, copied from shared/golden). The input is float32 (ML.NET's Single), the
/// reference float64; λ and outputs must agree to 1e-4 relative (values below 1 in magnitude: 1e-4 absolute).
/// </summary>
public class PowerTransformGoldenTests
{
    private const double Tol = 1e-4;

    public static TheoryData<string> Datasets => new() { "iris", "wine", "breast_cancer", "diabetes", "diabetes_scaled", "mixed_cat" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void YeoJohnson_matches_sklearn(string dataset)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var section = golden.At("power_transform", "yeo_johnson");
        var columns = GoldenJson.Strings(section.GetProperty("columns"));
        var x = LoadColumns(dataset, columns, shifts: null);
        Check(x, columns, PowerTransformMethod.YeoJohnson, section, golden);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void BoxCox_positive_columns_match_sklearn(string dataset)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var section = golden.At("power_transform", "box_cox", "positive_only");
        var columns = GoldenJson.Strings(section.GetProperty("columns"));
        if (columns.Length == 0)
            return; // diabetes_scaled: every column has non-positive values (covered by the shifted test)
        var x = LoadColumns(dataset, columns, shifts: null);
        Check(x, columns, PowerTransformMethod.BoxCox, section, golden);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void BoxCox_shifted_columns_match_sklearn(string dataset)
    {
        // sklearn was fitted on x + shift (shift = 1 - min for columns with min <= 0): extreme lambdas (−14 on
        // breast_cancer) exercise the overflow-safe likelihood.
        var golden = GoldenJson.LoadSklearn(dataset);
        var section = golden.At("power_transform", "box_cox", "shifted_all");
        var columns = GoldenJson.Strings(section.GetProperty("columns"));
        var shifts = GoldenJson.Vector(section.GetProperty("shifts"));
        var x = LoadColumns(dataset, columns, shifts);
        Check(x, columns, PowerTransformMethod.BoxCox, section, golden);
    }

    private static double[][] LoadColumns(string dataset, string[] columns, double[]? shifts)
    {
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv")).Numeric(columns);
        if (shifts != null)
        {
            // Shift in float32 as the data would arrive in ML.NET, then the reference's shift is the only difference.
            foreach (var r in rows)
            {
                for (int j = 0; j < r.Length; j++)
                    r[j] = (float)r[j] + shifts[j];
            }
        }
        return rows;
    }

    private static void Check(double[][] x, string[] columns, PowerTransformMethod method, System.Text.Json.JsonElement section, GoldenJson golden)
    {
        var expectedLambdas = GoldenJson.Vector(section.GetProperty("lambdas"));
        foreach (bool standardize in new[] { false, true })
        {
            var ml = new MLContext(seed: 1);
            var data = DataViews.FromRows(ml, x, columns);
            var model = ml.Transforms.PowerTransform(new PowerTransformOptions
            {
                OutputColumnName = "Out", InputColumnName = "Features", Method = method, Standardize = standardize,
            }).Fit(data);

            Tolerance.Close(expectedLambdas, model.Lambdas, Tol, floor: 1.0, what: $"{method} lambdas");
            // The log-likelihood is of the float32-rounded data here: 1e-5 relative (the float64 fit is checked to 1e-9 in PowerTransformFitterTests).
            Tolerance.Close(GoldenJson.Vector(section.GetProperty("log_likelihood")), model.LogLikelihoods, 1e-5, what: $"{method} log-likelihood");

            var sub = section.GetProperty(standardize ? "standardize_true" : "standardize_false");
            var expectedFirst5 = GoldenJson.Matrix(sub.GetProperty("first5"));
            var actual = DataViews.ReadVectors(model.Transform(data), "Out");
            for (int i = 0; i < expectedFirst5.Length; i++)
                Tolerance.Close(expectedFirst5[i], actual[i].Select(v => (double)v).ToArray(), Tol, what: $"{method} std={standardize} row {i}");
            if (standardize)
            {
                Tolerance.Close(GoldenJson.Vector(sub.GetProperty("scaler_mean")), model.Means, Tol, what: "means");
                Tolerance.Close(GoldenJson.Vector(sub.GetProperty("scaler_scale")), model.Scales, Tol, floor: 1e-30, what: "scales");
            }
        }
    }
}
