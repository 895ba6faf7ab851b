using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;

namespace Mlx.Benchmarks;

/// <summary>
/// FeatureProfile.Create on 1,000,000 × 20 rows and Compare against another 1,000,000 (half the slots shifted): the #15
/// goal is under 1 s for the profile and the comparison. No reference library does both; the figure is Mlx's alone.
/// </summary>
internal static class DriftBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        int rows = options.Rows(1_000_000);
        var ml = new MLContext(seed: 1);
        IDataView Make(int seed, float shift) => ml.Data.LoadFromEnumerable(Rows(rows, seed, shift).ToList()); // in memory: the generator is not timed
        var reference = Make(1, 0);
        var current = Make(2, 0.2f);
        double seconds = Timing.Median(3, () =>
        {
            var report = FeatureProfile.Create(reference).Compare(current);
            if (report.Slots.Count != 20)
                throw new InvalidOperationException("unexpected report");
        });
        Console.WriteLine($"  FeatureProfile.Create + Compare on {rows:N0} x 20 (each side): {seconds:F3} s (goal < 1 s)");
        return [new BenchmarkResult("drift_profile_compare", $"{rows:N0} x 20, profile + compare", seconds, null, "goal < 1 s (no reference library)")];
    }

    private static IEnumerable<Row> Rows(int rows, int seed, float shift)
    {
        var random = new Random(seed);
        for (int i = 0; i < rows; i++)
        {
            var x = new float[20];
            for (int j = 0; j < 20; j++)
                x[j] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) + (j % 2 == 0 ? shift : 0);
            yield return new Row { Features = x };
        }
    }

    private sealed class Row
    {
        [VectorType(20)]
        public float[] Features { get; set; } = [];
    }
}
