using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.Shared;

namespace Mlx.Benchmarks;

/// <summary>
/// Training throughput (samples/s) of the book's MLPs on the data of benchmarks/reference/dl_bench.py, against
/// PyTorch from the same run (dl_bench.py models a and b): (a) 784-512-10, RMSProp, batch 128, 60,000 rows;
/// (b) 10000-16-16-1, batch 512, 25,000 multi-hot rows. Mlx trains end to end from an IDataView; the epoch
/// figure is the median of the epochs after the first (as dl_bench: 1 warm-up, 3 timed); the time ML.NET's
/// data path took (IDataView to tensors) is printed beside it. Thread policy: libtorch 2 threads, as PyTorch.
/// </summary>
internal static class NeuralNetworkBenchmark
{
    /// <summary>
    /// Rounds of (PyTorch, Mlx) back to back — min(reps, 3) of them — and the median of each: this VM's speed swings by
    /// ±30 % over minutes for both, so one run of each compares two different machines.
    /// </summary>
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int mnistRows = options.Rows(60_000), imdbRows = options.Rows(25_000);
        var mnist = Mnist(ml, mnistRows);
        var imdb = Imdb(ml, imdbRows);
        int rounds = Math.Clamp(options.Repetitions, 1, 3);
        var a = new List<(double Epoch, double Total, double Data)>();
        var b = new List<(double Epoch, double Total, double Data)>();
        var torchA = new List<double>();
        var torchB = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            if (options.RunReference && PyTorch(options.Scale) is { } torch)
            {
                torchA.Add(torch.GetValueOrDefault("mlp_mnist_train"));
                torchB.Add(torch.GetValueOrDefault("imdb_mlp_train"));
            }
            a.Add(Train(ml, mnist, NeuralNetworkTask.MulticlassClassification, new Layer[] { Layer.Dense(512, Activation.Relu) }, 128));
            b.Add(Train(ml, imdb, NeuralNetworkTask.BinaryClassification, new Layer[] { Layer.Dense(16, Activation.Relu), Layer.Dense(16, Activation.Relu) }, 512));
            Console.WriteLine($"  round {round}: mnist Mlx {mnistRows / a[^1].Epoch:N0}" + (torchA.Count == round ? $" vs PyTorch {torchA[^1]:N0}" : "") +
                              $"; imdb Mlx {imdbRows / b[^1].Epoch:N0}" + (torchB.Count == round ? $" vs PyTorch {torchB[^1]:N0}" : "") + " samples/s");
        }
        return new[]
        {
            Result("mlp_mnist_train", $"{mnistRows:N0} x 784 -> 512 -> 10", mnistRows, MedianRun(a), torchA.Count > 0 ? Median(torchA) : null),
            Result("imdb_mlp_train", $"{imdbRows:N0} x 10000 -> 16 -> 16 -> 1", imdbRows, MedianRun(b), torchB.Count > 0 ? Median(torchB) : null),
        };
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static (double, double, double) MedianRun(List<(double Epoch, double Total, double Data)> runs) => runs.OrderBy(r => r.Epoch).ElementAt(runs.Count / 2);

    private static (double EpochSeconds, double TotalSeconds, double DataSeconds) Train(MLContext ml, IDataView data, NeuralNetworkTask task, Layer[] layers, int batch)
    {
        var options = new NeuralNetworkOptions { Layers = layers, BatchSize = batch, Epochs = 4, Seed = 0, Threads = 2, Optimizer = Optimizer.RmsProp() };
        var clock = Stopwatch.StartNew();
        var model = task == NeuralNetworkTask.BinaryClassification
            ? ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data)
            : ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(data);
        double total = clock.Elapsed.TotalSeconds;
        var timed = model.History.Epochs.Skip(1).Select(e => e.Seconds).Order().ToList();
        return (timed[timed.Count / 2], total, model.History.DataSeconds);
    }

    private static BenchmarkResult Result(string name, string data, int rows, (double Epoch, double Total, double Data) mlx, double? torchSamplesPerSecond)
    {
        Console.WriteLine($"  {name} (median round): Mlx {rows / mlx.Epoch:N0} samples/s per epoch; end to end from the IDataView {4 * rows / mlx.Total:N0} samples/s " +
                          $"(4 epochs in {mlx.Total:F2} s, of which ML.NET data path {mlx.Data:F2} s = {100 * mlx.Data / mlx.Total:F1} %)" +
                          (torchSamplesPerSecond is double t ? $"; PyTorch {t:N0} samples/s, Mlx/PyTorch throughput {rows / mlx.Epoch / t:F2}x" : ""));
        // Seconds per epoch, so that the ratio column reads like the other suites (below 1: Mlx faster).
        return new BenchmarkResult(name, data, mlx.Epoch, torchSamplesPerSecond is double s ? rows / s : null, "PyTorch 1.13 dl_bench.py (same run, 2 threads, OpenMP OpenBLAS), s per epoch");
    }

    private static Dictionary<string, double>? PyTorch(double scale)
    {
        string script = RepositoryRoot.Combine("benchmarks", "reference", "dl_bench.py");
        string outFile = Path.Combine(Path.GetTempPath(), "mlx-dl-bench.json");
        string arguments = $"\"{script}\" --models a,b --no-infer --max-samples {(int)Math.Max(1000, 60_000 * scale)} --out \"{outFile}\"";
        try
        {
            if (SklearnReference.RunPython(arguments, out var stdout, out var stderr, TimeSpan.FromMinutes(30)) == 0)
                return JsonSerializer.Deserialize<Dictionary<string, double>>(stdout);
            Console.WriteLine($"  PyTorch reference skipped: dl_bench.py failed ({stderr.Trim().Split('\n').LastOrDefault()})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"  PyTorch reference skipped: {e.Message}");
        }
        return null;
    }

    // dl_bench.py model a: X ~ U[0,1) (N, 784), y ~ Uniform{0..9}.
    private static IDataView Mnist(MLContext ml, int n)
    {
        var random = new Random(0);
        var rows = Enumerable.Range(0, n).Select(_ => new Row { Features = Uniform(random, 784), Digit = random.Next(10) }).ToList();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        return ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(data).Transform(data);
    }

    // dl_bench.py model b: per row 150 indices drawn with replacement from 0..9999 set to 1; y ~ Bernoulli(0.5).
    private static IDataView Imdb(MLContext ml, int n)
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, n).Select(_ =>
        {
            var x = new float[10_000];
            for (int k = 0; k < 150; k++)
                x[random.Next(10_000)] = 1;
            return new BinaryRow { Features = x, Label = random.Next(2) == 1 };
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(BinaryRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 10_000);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    private static float[] Uniform(Random random, int d)
    {
        var x = new float[d];
        for (int j = 0; j < d; j++)
            x[j] = random.NextSingle();
        return x;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Digit { get; set; }
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public bool Label { get; set; }
    }
}
