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
/// (b) 10000-16-16-1, batch 512, 25,000 multi-hot rows, given to Mlx twice: as sparse vectors (what ML.NET's text
/// featurizers produce) and as dense float[10000] arrays. Both sides run dl_bench's protocol: 1 warm-up epoch, then
/// 3 timed ones. Two figures: per epoch (the median timed epoch, dl_bench's statistic) and end to end (Mlx: from
/// the IDataView to the trained model, ML.NET data path and warm-up epoch included; PyTorch: its 4 epochs on
/// in-memory tensors). Thread policy: libtorch 2 threads, as PyTorch (2 threads, OpenMP OpenBLAS).
/// </summary>
internal static class NeuralNetworkBenchmark
{
    private const int Epochs = 4; // dl_bench.py: 1 warm-up + 3 timed

    private sealed record MlxRun(double EpochSeconds, double TotalSeconds, double DataSeconds);

    private sealed record TorchRun(double SamplesPerSecond, double TotalSeconds);

    /// <summary>
    /// Rounds of PyTorch and Mlx back to back — min(reps, 5) of them — and the median of each, plus the median of the
    /// rounds' own ratios: this VM's speed swings by ±30 % over minutes for both, so one run of each compares two
    /// different machines.
    /// </summary>
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int mnistRows = options.Rows(60_000), imdbRows = options.Rows(25_000);
        var mnist = Mnist(ml, mnistRows);
        var (imdbSparse, imdbDense) = Imdb(ml, imdbRows);
        int rounds = Math.Clamp(options.Repetitions, 1, 5);
        var a = new List<MlxRun>();
        var b = new List<MlxRun>();
        var bDense = new List<MlxRun>();
        var torchA = new List<TorchRun>();
        var torchB = new List<TorchRun>();
        var mnistLayers = new Layer[] { Layer.Dense(512, Activation.Relu) };
        var imdbLayers = new Layer[] { Layer.Dense(16, Activation.Relu), Layer.Dense(16, Activation.Relu) };
        for (int round = 1; round <= rounds; round++)
        {
            // PyTorch first in odd rounds, last in even ones, so that neither side always runs right after the other.
            void Reference()
            {
                if (options.RunReference && PyTorch(options.Scale, "a,b", "mlp_mnist", "imdb_mlp") is { } torch)
                {
                    torchA.Add(torch["mlp_mnist"]);
                    torchB.Add(torch["imdb_mlp"]);
                }
            }
            if (round % 2 == 1)
                Reference();
            a.Add(Train(ml, mnist, NeuralNetworkTask.MulticlassClassification, mnistLayers, 128));
            b.Add(Train(ml, imdbSparse, NeuralNetworkTask.BinaryClassification, imdbLayers, 512));
            bDense.Add(Train(ml, imdbDense, NeuralNetworkTask.BinaryClassification, imdbLayers, 512));
            if (round % 2 == 0)
                Reference();
            Console.WriteLine($"  round {round}: mnist Mlx {mnistRows / a[^1].EpochSeconds:N0}" + (torchA.Count == round ? $" vs PyTorch {torchA[^1].SamplesPerSecond:N0}" : "") +
                              $"; imdb Mlx {imdbRows / b[^1].EpochSeconds:N0} (dense arrays {imdbRows / bDense[^1].EpochSeconds:N0})" +
                              (torchB.Count == round ? $" vs PyTorch {torchB[^1].SamplesPerSecond:N0}" : "") + " samples/s per epoch");
        }
        var results = new List<BenchmarkResult>();
        results.AddRange(Results("mlp_mnist", $"{mnistRows:N0} x 784 -> 512 -> 10", mnistRows, a, torchA));
        results.AddRange(Results("imdb_mlp", $"{imdbRows:N0} x 10000 sparse -> 16 -> 16 -> 1", imdbRows, b, torchB));
        results.AddRange(Results("imdb_mlp_dense", $"{imdbRows:N0} x 10000 dense arrays -> 16 -> 16 -> 1", imdbRows, bDense, torchB));
        results.AddRange(RunRecurrent(options));
        return results;
    }

    /// <summary>
    /// dl_bench.py models d and e, the book's IMDB recurrent networks: Embedding(10000, 32) → LSTM(32) or GRU(32) → Dense(1),
    /// RMSProp, batch 128, 500 token ids per row (key-typed, as VectorizeText writes them; no mask, as in dl_bench). A
    /// recurrent epoch is slow in both (≈ 45 s for the book's 25,000 rows in PyTorch here), so both sides train on
    /// 5,000 rows at --scale 1 (dl_bench's --rnn-samples; throughput is per sample either way). Rounds as for a and b.
    /// </summary>
    public static IReadOnlyList<BenchmarkResult> RunRecurrent(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int rows = options.Rows(5_000);
        var data = TokenIds(ml, rows);
        int rounds = Math.Clamp(options.Repetitions, 1, 3);
        var lstm = new List<MlxRun>();
        var gru = new List<MlxRun>();
        var torchLstm = new List<TorchRun>();
        var torchGru = new List<TorchRun>();
        for (int round = 1; round <= rounds; round++)
        {
            void Reference()
            {
                if (options.RunReference && PyTorch(options.Scale, "d,e", false, rows, "imdb_lstm", "imdb_gru") is { } torch)
                {
                    torchLstm.Add(torch["imdb_lstm"]);
                    torchGru.Add(torch["imdb_gru"]);
                }
            }
            if (round % 2 == 1)
                Reference();
            lstm.Add(Train(ml, data, NeuralNetworkTask.BinaryClassification, [Layer.Embedding(10_000, 32), Layer.Lstm(32)], 128));
            gru.Add(Train(ml, data, NeuralNetworkTask.BinaryClassification, [Layer.Embedding(10_000, 32), Layer.Gru(32)], 128));
            if (round % 2 == 0)
                Reference();
            Console.WriteLine($"  round {round}: LSTM Mlx {rows / lstm[^1].EpochSeconds:N0}" + (torchLstm.Count == round ? $" vs PyTorch {torchLstm[^1].SamplesPerSecond:N0}" : "") +
                              $"; GRU Mlx {rows / gru[^1].EpochSeconds:N0}" + (torchGru.Count == round ? $" vs PyTorch {torchGru[^1].SamplesPerSecond:N0}" : "") + " samples/s per epoch");
        }
        // Recurrent dropout (Keras' one mask per sequence; no fused libtorch kernel has it): the GRU keeps Mlx's kernel,
        // the LSTM steps through time in libtorch autograd. Mlx only (PyTorch's modules have no recurrent dropout), one run
        // on a tenth of the rows, against the same layer without it.
        int few = Math.Max(256, rows / 10);
        var subset = ml.Data.TakeRows(data, few);
        var dropoutRows = new List<BenchmarkResult>();
        foreach (var (name, plain, dropped) in new (string, Layer, Layer)[]
        {
            ("gru", Layer.Gru(32), Layer.Gru(32, recurrentDropout: 0.2)),
            ("lstm", Layer.Lstm(32), Layer.Lstm(32, recurrentDropout: 0.2)),
        })
        {
            var without = Train(ml, subset, NeuralNetworkTask.BinaryClassification, [Layer.Embedding(10_000, 32), plain], 128);
            var with = Train(ml, subset, NeuralNetworkTask.BinaryClassification, [Layer.Embedding(10_000, 32), dropped], 128);
            Console.WriteLine($"  {name} with recurrent dropout 0.2: {few / with.EpochSeconds:N0} samples/s per epoch against {few / without.EpochSeconds:N0} without ({with.EpochSeconds / without.EpochSeconds:F2}x the time)");
            dropoutRows.Add(new BenchmarkResult($"imdb_{name}_recurrent_dropout_epoch", $"{few:N0} x 500 ids, recurrent dropout 0.2", with.EpochSeconds, without.EpochSeconds, "Mlx, the same layer without recurrent dropout, s per epoch"));
        }
        return [.. Results("imdb_lstm", $"{rows:N0} x 500 ids -> Embedding 32 -> LSTM 32 -> 1", rows, lstm, torchLstm),
                .. Results("imdb_gru", $"{rows:N0} x 500 ids -> Embedding 32 -> GRU 32 -> 1", rows, gru, torchGru), .. dropoutRows];
    }

    private static T Median<T>(List<T> runs, Func<T, double> key) => runs.OrderBy(key).ElementAt(runs.Count / 2);

    /// <summary>
    /// dl_bench.py model c, the book's MNIST convnet (Conv2D 32 → pool → Conv2D 64 → pool → Conv2D 64 → Flatten → Dense 64 →
    /// Dense 10, RMSProp, batch 64) on the same U[0,1) pixels read as (1, 28, 28), against PyTorch in the same run. A full
    /// epoch of 60,000 rows takes about 12 s in PyTorch on this machine: use --scale to train on fewer rows.
    /// </summary>
    public static IReadOnlyList<BenchmarkResult> RunConvNet(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int rows = options.Rows(60_000);
        var mnist = Mnist(ml, rows);
        var layers = new Layer[]
        {
            Layer.Conv2D(32, 3, Activation.Relu), Layer.MaxPool2D(2), Layer.Conv2D(64, 3, Activation.Relu), Layer.MaxPool2D(2),
            Layer.Conv2D(64, 3, Activation.Relu), Layer.Flatten(), Layer.Dense(64, Activation.Relu),
        };
        int rounds = Math.Clamp(options.Repetitions, 1, 5);
        var mlx = new List<MlxRun>();
        var torch = new List<TorchRun>();
        double? torchScoring = null;
        NeuralNetworkModel? last = null;
        for (int round = 1; round <= rounds; round++)
        {
            void Reference()
            {
                // Inference (dl_bench: 10,000 rows, batch 1,000, median of 3) once, in the first reference run.
                if (options.RunReference && PyTorch(options.Scale, "c", torchScoring is null, "mnist_cnn") is { } t)
                {
                    torch.Add(t["mnist_cnn"]);
                    if (t.TryGetValue("mnist_cnn_infer_b1000", out var inference))
                        torchScoring = inference.SamplesPerSecond;
                }
            }
            if (round % 2 == 1)
                Reference();
            mlx.Add(Train(ml, mnist, NeuralNetworkTask.MulticlassClassification, layers, 64, [1, 28, 28], model => last = model));
            if (round % 2 == 0)
                Reference();
            Console.WriteLine($"  round {round}: convnet Mlx {rows / mlx[^1].EpochSeconds:N0}" + (torch.Count == round ? $" vs PyTorch {torch[^1].SamplesPerSecond:N0}" : "") + " samples/s per epoch");
        }
        var results = Results("mnist_cnn", $"{rows:N0} x 1x28x28 -> conv 32-64-64 -> 64 -> 10", rows, mlx, torch).ToList();
        // Scoring: the model's Transform over 10,000 rows (batches of 1,024 inside), median of 3 after a warm-up.
        var scoringRows = ml.Data.TakeRows(mnist, 10_000);
        int scored = (int)scoringRows.GetRowCount()!;
        double Score()
        {
            var clock = Stopwatch.StartNew();
            last!.Transform(scoringRows).GetColumn<float[]>("Score").Count();
            return clock.Elapsed.TotalSeconds;
        }
        Score();
        double scoring = new[] { Score(), Score(), Score() }.Order().ElementAt(1);
        Console.WriteLine($"  mnist_cnn scoring: Mlx {scored / scoring:N0} samples/s (Transform, {scored:N0} rows)" +
                          (torchScoring is double p ? $" vs PyTorch {p:N0} (inference_mode, batch 1,000) = {scored / scoring / p:F2}x" : ""));
        results.Add(new BenchmarkResult("mnist_cnn_score", $"{scored:N0} x 1x28x28", scoring, torchScoring is double q ? scored / q : null,
            "PyTorch 1.13 dl_bench.py inference, batch 1,000, s for the rows"));
        results.AddRange(SmallData224(ml, options));
        return results;
    }

    /// <summary>
    /// A small-data convnet on 224×224×3 images (the book's cats-vs-dogs network, 5 classes) against
    /// benchmarks/reference/convnet224_bench.py: RMSProp 1e-4, batch 32, 1 warm-up + 2 timed epochs, one round.
    /// </summary>
    private static IEnumerable<BenchmarkResult> SmallData224(MLContext ml, BenchmarkOptions options)
    {
        int rows = Math.Max(64, options.Rows(320));
        var random = new Random(104);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ => new Row { Features = Uniform(random, 3 * 224 * 224), Digit = random.Next(5) }).ToList(),
            SchemaWith(3 * 224 * 224));
        data = ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(data).Transform(data);
        var layers = new Layer[]
        {
            Layer.Conv2D(32, 3, Activation.Relu), Layer.MaxPool2D(2), Layer.Conv2D(64, 3, Activation.Relu), Layer.MaxPool2D(2),
            Layer.Conv2D(128, 3, Activation.Relu), Layer.MaxPool2D(2), Layer.Conv2D(128, 3, Activation.Relu), Layer.MaxPool2D(2),
            Layer.Flatten(), Layer.Dropout(0.5), Layer.Dense(512, Activation.Relu),
        };
        TorchRun? torch = null;
        if (options.RunReference)
        {
            string script = RepositoryRoot.Combine("benchmarks", "reference", "convnet224_bench.py");
            if (SklearnReference.RunPython($"\"{script}\" --samples {rows} --batch 32 --epochs 2 --warmup 1", out var stdout, out var stderr, TimeSpan.FromMinutes(30)) == 0)
            {
                var json = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout)!;
                torch = new TorchRun(json["convnet224_train"], json["convnet224_seconds"]);
            }
            else
            {
                Console.WriteLine($"  PyTorch reference skipped: convnet224_bench.py failed ({stderr.Trim().Split('\n').LastOrDefault()})");
            }
        }
        var options224 = new NeuralNetworkOptions { Layers = layers, BatchSize = 32, Epochs = 3, Seed = 0, Threads = 2, Optimizer = Optimizer.RmsProp(1e-4), InputShape = [3, 224, 224] };
        var clock = Stopwatch.StartNew();
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(options224).Fit(data);
        double total = clock.Elapsed.TotalSeconds;
        double epoch = model.History.Epochs.Skip(1).Select(e => e.Seconds).Order().First();
        Console.WriteLine($"  small-data 224x224 convnet: per epoch Mlx {rows / epoch:N1} samples/s" + (torch != null ? $" vs PyTorch {torch.SamplesPerSecond:N1} = {rows / epoch / torch.SamplesPerSecond:F2}x" : "") +
                          $"; end to end {total:F1} s" + (torch != null ? $" vs {torch.TotalSeconds:F1} s = {torch.TotalSeconds / total:F2}x" : ""));
        const string reference = "PyTorch 1.13 convnet224_bench.py (same run, 2 threads, OpenMP OpenBLAS)";
        yield return new BenchmarkResult("convnet224_epoch", $"{rows} x 3x224x224 -> conv 32-64-128-128 -> 512 -> 5", epoch, torch != null ? rows / torch.SamplesPerSecond : null, reference + ", s per epoch");
        yield return new BenchmarkResult("convnet224_e2e", $"{rows} x 3x224x224", total, torch?.TotalSeconds, reference + ", s for 3 epochs (Mlx from the IDataView)");
    }

    private static MlxRun Train(MLContext ml, IDataView data, NeuralNetworkTask task, Layer[] layers, int batch, int[]? inputShape = null, Action<NeuralNetworkModel>? keep = null)
    {
        var options = new NeuralNetworkOptions { Layers = layers, BatchSize = batch, Epochs = Epochs, Seed = 0, Threads = 2, Optimizer = Optimizer.RmsProp(), InputShape = inputShape };
        var clock = Stopwatch.StartNew();
        var model = task == NeuralNetworkTask.BinaryClassification
            ? ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data)
            : ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(data);
        double total = clock.Elapsed.TotalSeconds;
        keep?.Invoke(model);
        var timed = model.History.Epochs.Skip(1).Select(e => e.Seconds).Order().ToList();
        if (Environment.GetEnvironmentVariable("MLX_BENCH_VERBOSE") == "1")
            Console.WriteLine($"    fit {total:F3} s = data {model.History.DataSeconds:F3} + epochs [{string.Join(", ", model.History.Epochs.Select(e => e.Seconds.ToString("F3")))}] + other {total - model.History.DataSeconds - model.History.Epochs.Sum(e => e.Seconds):F3}");
        return new MlxRun(timed[timed.Count / 2], total, model.History.DataSeconds);
    }

    /// <summary>Two rows per model: seconds per epoch and seconds end to end, Mlx against PyTorch (medians over rounds).</summary>
    private static IEnumerable<BenchmarkResult> Results(string name, string data, int rows, List<MlxRun> mlx, List<TorchRun> torch)
    {
        var epoch = Median(mlx, r => r.EpochSeconds);
        var total = Median(mlx, r => r.TotalSeconds);
        TorchRun? t = torch.Count > 0 ? Median(torch, r => r.SamplesPerSecond) : null;
        TorchRun? tTotal = torch.Count > 0 ? Median(torch, r => r.TotalSeconds) : null;
        // Round by round (PyTorch and Mlx run back to back): the median of the paired ratios.
        string paired = torch.Count == mlx.Count && torch.Count > 1
            ? $"; paired rounds: per epoch {Median(torch.Zip(mlx, (p, m) => rows / m.EpochSeconds / p.SamplesPerSecond).ToList(), r => r):F2}x, " +
              $"end to end {Median(torch.Zip(mlx, (p, m) => p.TotalSeconds / m.TotalSeconds).ToList(), r => r):F2}x " +
              $"(rounds: {string.Join(", ", torch.Zip(mlx, (p, m) => (p.TotalSeconds / m.TotalSeconds).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))})"
            : "";
        Console.WriteLine($"  {name}: per epoch Mlx {rows / epoch.EpochSeconds:N0} samples/s" +
                          (t != null ? $" vs PyTorch {t.SamplesPerSecond:N0} = {rows / epoch.EpochSeconds / t.SamplesPerSecond:F2}x" : "") +
                          $"; end to end Mlx {Epochs * rows / total.TotalSeconds:N0} samples/s ({Epochs} epochs from the IDataView in {total.TotalSeconds:F2} s, " +
                          $"ML.NET data path {total.DataSeconds:F2} s = {100 * total.DataSeconds / total.TotalSeconds:F1} %)" +
                          (tTotal != null ? $" vs PyTorch {Epochs * rows / tTotal.TotalSeconds:N0} ({tTotal.TotalSeconds:F2} s) = {tTotal.TotalSeconds / total.TotalSeconds:F2}x" : "") + paired);
        const string reference = "PyTorch 1.13 dl_bench.py (same run, 2 threads, OpenMP OpenBLAS)";
        yield return new BenchmarkResult(name + "_epoch", data, epoch.EpochSeconds, t != null ? rows / t.SamplesPerSecond : null, reference + ", s per epoch");
        yield return new BenchmarkResult(name + "_e2e", data, total.TotalSeconds, tTotal?.TotalSeconds, reference + $", s for {Epochs} epochs (Mlx from the IDataView)");
    }

    /// <summary>dl_bench.py's <paramref name="models"/>: samples/s per epoch (its JSON) and the seconds of all 4 epochs (its log lines).</summary>
    private static Dictionary<string, TorchRun>? PyTorch(double scale, string models, params string[] names) => PyTorch(scale, models, false, names);

    /// <summary>As above; with <paramref name="infer"/>, also dl_bench's inference figures of model c (as "mnist_cnn_infer_b64"/"_b1000").</summary>
    private static Dictionary<string, TorchRun>? PyTorch(double scale, string models, bool infer, params string[] names) => PyTorch(scale, models, infer, null, names);

    /// <summary>As above; <paramref name="recurrentRows"/> sets dl_bench's --rnn-samples (models d and e).</summary>
    private static Dictionary<string, TorchRun>? PyTorch(double scale, string models, bool infer, int? recurrentRows, params string[] names)
    {
        string script = RepositoryRoot.Combine("benchmarks", "reference", "dl_bench.py");
        string outFile = Path.Combine(Path.GetTempPath(), "mlx-dl-bench.json");
        string arguments = $"\"{script}\" --models {models}{(infer ? "" : " --no-infer")} --epochs {Epochs - 1} --warmup 1 --max-samples {(int)Math.Max(1000, 60_000 * scale)}{(recurrentRows is int r ? $" --rnn-samples {r}" : "")} --out \"{outFile}\"";
        try
        {
            if (SklearnReference.RunPython(arguments, out var stdout, out var stderr, TimeSpan.FromMinutes(30)) != 0)
            {
                Console.WriteLine($"  PyTorch reference skipped: dl_bench.py failed ({stderr.Trim().Split('\n').LastOrDefault()})");
                return null;
            }
            var perEpoch = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout)!;
            // "# mlp_mnist  epoch 0 warm-up 0.84s  71391 samples/s ..." -> seconds per model, all epochs.
            var seconds = System.Text.RegularExpressions.Regex.Matches(stderr, @"^# (\w+)\s+epoch \d+ (?:warm-up|timed) ([0-9.]+)s", System.Text.RegularExpressions.RegexOptions.Multiline)
                .GroupBy(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => g.Sum());
            var runs = names.ToDictionary(m => m, m => new TorchRun(perEpoch[m + "_train"], seconds[m]));
            foreach (var (key, value) in perEpoch.Where(p => p.Key.Contains("_infer_")))
                runs[key] = new TorchRun(value, 0);
            return runs;
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
        var data = ml.Data.LoadFromEnumerable(rows, SchemaWith(784));
        return ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(data).Transform(data);
    }

    private static SchemaDefinition SchemaWith(int features)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return definition;
    }

    // dl_bench.py model b: per row 150 indices drawn with replacement from 0..9999 set to 1; y ~ Bernoulli(0.5).
    // The same rows as sparse vectors (ML.NET's text featurizers make these) and as dense float[10000] arrays.
    private static (IDataView Sparse, IDataView Dense) Imdb(MLContext ml, int n)
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, n).Select(_ =>
        {
            var slots = Enumerable.Range(0, 150).Select(_ => random.Next(10_000)).Distinct().Order().ToArray();
            return (slots, label: random.Next(2) == 1);
        }).ToList();
        var sparse = ml.Data.LoadFromEnumerable(rows.Select(r => new SparseRow { Features = new VBuffer<float>(10_000, r.slots.Length, Enumerable.Repeat(1f, r.slots.Length).ToArray(), r.slots), Label = r.label }).ToList());
        var definition = SchemaDefinition.Create(typeof(BinaryRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 10_000);
        var dense = ml.Data.LoadFromEnumerable(rows.Select(r =>
        {
            var x = new float[10_000];
            foreach (int slot in r.slots)
                x[slot] = 1;
            return new BinaryRow { Features = x, Label = r.label };
        }).ToList(), definition);
        return (sparse, dense);
    }

    // dl_bench.py models d and e: 500 ids ~ Uniform{0..9999} per row, y ~ Bernoulli(0.5); ids as a key-typed vector (raw key = id).
    private static IDataView TokenIds(MLContext ml, int n)
    {
        var random = new Random(2);
        var rows = Enumerable.Range(0, n).Select(_ => new TokenRow
        {
            Features = Enumerable.Range(0, 500).Select(_ => (uint)random.Next(10_000)).ToArray(),
            Label = random.Next(2) == 1,
        }).ToList();
        return ml.Data.LoadFromEnumerable(rows);
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

    private sealed class SparseRow
    {
        [VectorType(10_000)]
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }

    private sealed class TokenRow
    {
        [VectorType(500), KeyType(10_000)]
        public uint[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public bool Label { get; set; }
    }
}
