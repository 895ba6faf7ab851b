using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;
using Mlx.Shared;

namespace Mlx.Benchmarks;

/// <summary>
/// SMOTE (5 neighbours) on 100,000 × 20 rows with a 10 % minority class, against imbalanced-learn's SMOTE on the same
/// float32 data (benchmarks/reference/smote_bench.py) in the same run; every output row read. Both sides: the median of
/// <c>--reps</c> runs (5 by default; Mlx after 3 warm-ups).
/// Goal of #15: ≥ 2× imbalanced-learn.
/// </summary>
internal static class ResamplingBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        const int Features = 20;
        int rows = options.Rows(100_000);
        var random = new Random(5);
        var data = new List<Row>(rows);
        for (int i = 0; i < rows; i++)
        {
            bool minority = i % 10 == 0;
            var x = new float[Features];
            for (int j = 0; j < Features; j++)
                x[j] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) + (minority ? 1 : 0);
            data.Add(new Row { Features = x, Label = minority });
        }
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(data);
        double mlx = Timing.Median(options.Repetitions, () =>
        {
            var resampled = ml.Data.Resample(view, "Label", Resampling.Smote(5), seed: 1);
            var column = resampled.Schema["Features"];
            using var cursor = resampled.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            while (cursor.MoveNext())
                getter(ref value);
        });
        double? reference = null;
        if (options.RunReference)
        {
            string file = Path.Combine(Path.GetTempPath(), $"mlx-smote-{Guid.NewGuid():N}.bin");
            using (var writer = new BinaryWriter(File.Create(file)))
            {
                foreach (var row in data)
                    foreach (float v in row.Features)
                        writer.Write(v);
                foreach (var row in data)
                    writer.Write(row.Label ? 1 : 0);
            }
            string script = RepositoryRoot.Combine("benchmarks", "reference", "smote_bench.py");
            if (SklearnReference.RunPython($"\"{script}\" --data \"{file}\" --rows {rows} --reps {options.Repetitions}", out var stdout, out var stderr, TimeSpan.FromMinutes(20)) == 0)
                reference = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout.Trim().Split('\n').Last())!["smote_seconds"];
            else
                Console.WriteLine($"  imbalanced-learn reference skipped: smote_bench.py failed ({stderr.Trim().Split('\n').LastOrDefault()})");
            File.Delete(file);
        }
        Console.WriteLine($"  SMOTE on {rows:N0} x {Features} (10 % minority): Mlx {mlx:F3} s" + (reference is double r ? $" vs imbalanced-learn {r:F3} s ({r / mlx:F2}x)" : ""));
        return [new BenchmarkResult("smote", $"{rows:N0} x {Features}, 10 % minority, k = 5", mlx, reference, "imbalanced-learn 0.10 SMOTE fit_resample, same run")];
    }

    private sealed class Row
    {
        [VectorType(20)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}
