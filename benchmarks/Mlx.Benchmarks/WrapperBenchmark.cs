using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;

namespace Mlx.Benchmarks;

/// <summary>
/// Wrapper selection's parallel candidate evaluation: sequential forward selection of 5 of 16 slots (5-fold CV of
/// ML.NET's L-BFGS logistic regression on 5,000 rows) with candidates on all cores against one at a time. The #15
/// goal is a speed-up from the second core.
/// </summary>
internal static class WrapperBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        int rows = options.Rows(5_000);
        var random = new Random(9);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
        {
            var x = Enumerable.Range(0, 16).Select(_ => (float)Normal()).ToArray();
            return new Row { Features = x, Label = x[0] - x[3] + 0.5 * x[7] + x[11] - 0.7 * x[14] + Normal() > 0 };
        }).ToList());
        double Time(bool parallel)
        {
            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.FeatureSelection.SelectFeaturesBySearch("Selected", "Features",
                c => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: c), WrapperSearch.SequentialForward(5), parallel: parallel).Fit(data);
            if (model.SelectedSlots.Count != 5)
                throw new InvalidOperationException("unexpected selection");
            return clock.Elapsed.TotalSeconds;
        }
        Time(true);
        double one = Time(false), all = Time(true);
        Console.WriteLine($"  forward selection of 5 of 16 slots ({rows:N0} rows, 5-fold CV, 70 subsets): one at a time {one:F2} s, parallel {all:F2} s ({one / all:F2}x on {Environment.ProcessorCount} cores)");
        return [new BenchmarkResult("wrapper_forward_parallel", $"{rows:N0} x 16, forward to 5 slots, 5-fold CV", all, one, "the same search evaluating one candidate at a time")];
    }

    private sealed class Row
    {
        [VectorType(16)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}
