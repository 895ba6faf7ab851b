using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;
using Mlx.Shared;

namespace Mlx.Benchmarks;

/// <summary>
/// VectorizeText (Count mode, Keras' defaults) fit + transform of 25,000 reviews (the 1,000 golden reviews repeated),
/// every output row read, against scikit-learn's CountVectorizer configured the same way (benchmarks/reference/text_bench.py)
/// in the same run. Both sides: the median of <c>--reps</c> passes (5 by default; Mlx after 3 warm-ups, see <see cref="Timing"/>).
/// Goal of #14: ≥ 2× scikit-learn.
/// </summary>
internal static class TextBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        int rows = Math.Max(1000, (int)Math.Round(25_000 * options.Scale));
        string file = RepositoryRoot.Combine("tests", "golden", "text", "reviews.json");
        var reviews = JsonSerializer.Deserialize<string[]>(File.ReadAllText(file))!;
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(i => new Review { Text = reviews[i % reviews.Length] }).ToList());
        var fitSeconds = new List<double>();
        void Pass()
        {
            var clock = Stopwatch.StartNew();
            var fitted = ml.Transforms.Text.VectorizeText("Counts", "Text", new TextVectorizationOptions { OutputMode = TextOutputMode.Count }).Fit(data);
            fitSeconds.Add(clock.Elapsed.TotalSeconds);
            var output = fitted.Transform(data);
            var column = output.Schema["Counts"];
            using var cursor = output.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            while (cursor.MoveNext())
                getter(ref value);
        }
        double mlx = Timing.Median(options.Repetitions, Pass);
        double fit = fitSeconds.Skip(fitSeconds.Count - options.Repetitions).Order().ElementAt(options.Repetitions / 2);
        double? sklearn = null;
        if (options.RunReference)
        {
            string script = RepositoryRoot.Combine("benchmarks", "reference", "text_bench.py");
            if (SklearnReference.RunPython($"\"{script}\" --reviews \"{file}\" --rows {rows} --reps {options.Repetitions}", out var stdout, out var stderr, TimeSpan.FromMinutes(10)) == 0)
                sklearn = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout.Trim().Split('\n').Last())!["fit_transform_seconds"];
            else
                Console.WriteLine($"  scikit-learn reference skipped: text_bench.py failed ({stderr.Trim().Split('\n').LastOrDefault()})");
        }
        Console.WriteLine($"  VectorizeText fit + transform of {rows:N0} reviews: Mlx {mlx:F3} s (fit {fit:F3} s)" + (sklearn is double s ? $" vs scikit-learn CountVectorizer {s:F3} s ({s / mlx:F2}x)" : ""));
        return [new BenchmarkResult("vectorize_text", $"{rows:N0} reviews, counts", mlx, sklearn, "scikit-learn 1.2 CountVectorizer fit_transform (Keras-like settings), same run")];
    }

    private sealed class Review
    {
        public string Text { get; set; } = "";
    }
}
