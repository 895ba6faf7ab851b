using Microsoft.ML;
using Mlx.FeatureEngineering;

namespace Mlx.Benchmarks;

/// <summary>Box-Cox and Yeo-Johnson fit + transform on fe_bench's lognormal data (1,000,000 × 10).</summary>
internal static class PowerTransformBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int n = options.Rows(1_000_000);
        var data = new Lazy<IDataView>(() => SyntheticData.Lognormal(ml, n));
        var shape = $"{n:N0} x 10 lognormal";
        FeatureEngineeringSuite.Op Op(string name, PowerTransformMethod method, bool standardize) =>
            new(name, shape, () => data.Value, m => m.Transforms.PowerTransform(new PowerTransformOptions
            {
                OutputColumnName = "Y", InputColumnName = "X", Method = method, Standardize = standardize,
            }), "Y");
        return FeatureEngineeringSuite.Run(options, ml,
        [
            Op("box_cox", PowerTransformMethod.BoxCox, false),
            Op("box_cox_std", PowerTransformMethod.BoxCox, true),
            Op("yeo_johnson", PowerTransformMethod.YeoJohnson, false),
            Op("yeo_johnson_std", PowerTransformMethod.YeoJohnson, true),
        ], "sklearn 1.2 PowerTransformer");
    }
}
