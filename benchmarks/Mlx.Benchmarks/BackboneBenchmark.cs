using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Mlx.Estimators.Runtime;
using Mlx.Vision;
using Mlx.Shared;
using static TorchSharp.torch;

namespace Mlx.Benchmarks;

/// <summary>
/// The bundled ImageNet ResNet18 imported as a TorchSharp module (<see cref="OnnxBackbone.ToTorchModule"/>) against
/// ONNX Runtime on the same file and the same batches of 32 random 224×224 images, 2 threads each: forward only, in
/// eval mode under no_grad. Goal of #13: within 10 % of ONNX Runtime. Passes of the two alternate (a warm-up each, then
/// <c>--reps</c> pairs, 5 by default) so both see the same machine; medians compared.
/// </summary>
internal static class BackboneBenchmark
{
    private const int Side = 224, BatchSize = 32;

    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        int images = Math.Max(BatchSize, (int)Math.Round(128 * options.Scale) / BatchSize * BatchSize);
        var resnet = OnnxBackbone.ResNet18();
        var random = new Random(5);
        var pixels = new float[images * 3 * Side * Side];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (float)(random.NextDouble() * 255 - 128);

        TorchRuntime.SetThreads(2);
        var module = resnet.ToTorchModule();
        module.eval();
        // The batches as libtorch tensors made once, as ONNX Runtime's side wraps the same arrays once per batch without
        // copying: both sides then time the forward alone.
        var batches = Enumerable.Range(0, images / BatchSize)
            .Select(b => tensor(pixels.AsSpan(b * BatchSize * 3 * Side * Side, BatchSize * 3 * Side * Side).ToArray(), [BatchSize, 3, Side, Side])).ToList();
        double Imported()
        {
            using var _ = no_grad();
            foreach (var x in batches)
            {
                using var scope = NewDisposeScope();
                module.forward(x);
            }
            return 0;
        }

        var prepared = Path.Combine(Path.GetTempPath(), "mlx-bench-resnet18-import.onnx");
        resnet.SavePreparedModel(prepared);
        using var session = new InferenceSession(prepared, new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL });
        var output = new float[BatchSize * 512];
        double Runtime()
        {
            for (int start = 0; start < images; start += BatchSize)
            {
                using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(start * 3 * Side * Side, BatchSize * 3 * Side * Side), new long[] { BatchSize, 3, Side, Side });
                using var y = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(), new long[] { BatchSize, 512, 1, 1 });
                session.Run(new RunOptions(), [resnet.InputName], [x], [resnet.OutputName], [y]);
            }
            return 0;
        }

        var (imported, runtime) = AlternatingMedians(Imported, Runtime, Math.Max(3, options.Repetitions));
        batches.ForEach(b => b.Dispose());
        Console.WriteLine($"  ResNet18 forward, batches of {BatchSize}: imported TorchSharp module {images / imported:F1} images/s, ONNX Runtime {images / runtime:F1} ({runtime / imported:F2}x)");
        var results = new List<BenchmarkResult> { new("resnet18_import_forward", $"{images} x 3x224x224, batch {BatchSize}", imported, runtime, "ONNX Runtime 1.31 on the same file, 2 threads, s for the images") };
        results.AddRange(FineTuningAndGradCam(resnet, options));
        return results;
    }

    /// <summary>
    /// One fine-tuning step (batch 16, the top residual block and a new 5-class head trainable, frozen batch norm in
    /// inference mode, RMSProp 1e-5) and a Grad-CAM of the last stage for 16 images, against
    /// benchmarks/reference/finetune_bench.py (torchvision's ResNet18, the same recipe). Medians of 5 after warm-ups.
    /// </summary>
    private static IEnumerable<BenchmarkResult> FineTuningAndGradCam(OnnxBackbone resnet, BenchmarkOptions options)
    {
        const int batch = 16;
        var backbone = resnet.ToTorchModule();
        var head = nn.Linear(512, 5);
        // Freeze everything below the last residual block: its two convolutions are the graph's last two Conv nodes.
        int secondLastConv = backbone.NodeTypes.Select((t, i) => (t, i)).Where(p => p.t == "Conv").Select(p => p.i).TakeLast(2).First();
        backbone.Freeze(backbone.NodeNames[secondLastConv - 1]);
        var trainable = backbone.parameters().Where(p => p.requires_grad).Concat(head.parameters()).ToList();
        var optimizer = optim.RMSProp(trainable, lr: 1e-5, alpha: 0.9, eps: 1e-7);
        using var x = rand([batch, 3, Side, Side], generator: new Generator(3));
        using var y = randint(0, 5, [batch], generator: new Generator(4));
        backbone.train();
        head.train();
        var steps = new List<double>();
        for (int step = 0; step < 7; step++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var logits = head.forward(backbone.forward(x).flatten(1));
                nn.functional.cross_entropy(logits, y).backward();
                optimizer.step();
            }
            if (step >= 2)
                steps.Add(clock.Elapsed.TotalSeconds);
        }
        double fineTune = steps.Order().ElementAt(steps.Count / 2);
        foreach (var p in backbone.parameters())
            p.requires_grad = true;
        string lastStage = LastRelu(backbone);
        var cams = new List<double>();
        for (int step = 0; step < 6; step++)
        {
            var clock = Stopwatch.StartNew();
            Mlx.Vision.Visualization.GradCam.Compute(backbone, x, lastStage, head: head);
            if (step >= 1)
                cams.Add(clock.Elapsed.TotalSeconds);
        }
        double gradCam = cams.Order().ElementAt(cams.Count / 2);
        double? torchStep = null, torchCam = null;
        if (options.RunReference)
        {
            string script = RepositoryRoot.Combine("benchmarks", "reference", "finetune_bench.py");
            if (SklearnReference.RunPython($"\"{script}\" --steps 5 --batch {batch}", out var stdout, out var stderr, TimeSpan.FromMinutes(10)) == 0)
            {
                var json = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(stdout.Trim().Split('\n').Last())!;
                torchStep = json["finetune_step_seconds"];
                torchCam = json["gradcam_seconds"];
            }
            else
            {
                Console.WriteLine($"  PyTorch reference skipped: finetune_bench.py failed ({stderr.Trim().Split('\n').LastOrDefault()})");
            }
        }
        Console.WriteLine($"  ResNet18 fine-tuning step (batch {batch}, top block + head): Mlx {fineTune * 1000:F0} ms" + (torchStep is double t ? $" vs PyTorch {t * 1000:F0} ms ({t / fineTune:F2}x)" : "") +
                          $"; Grad-CAM of 16 images: Mlx {gradCam * 1000:F0} ms" + (torchCam is double c ? $" vs PyTorch {c * 1000:F0} ms ({c / gradCam:F2}x)" : ""));
        const string reference = "PyTorch 1.13 + torchvision finetune_bench.py (same recipe, 2 threads)";
        yield return new BenchmarkResult("resnet18_finetune_step", $"batch {batch} x 3x224x224, top block + head", fineTune, torchStep, reference + ", s per step");
        yield return new BenchmarkResult("resnet18_gradcam", $"16 x 3x224x224, last stage", gradCam, torchCam, reference + ", s per batch");
    }

    // The last ReLU's output: the final residual stage's activation, Grad-CAM's usual layer.
    private static string LastRelu(Mlx.Vision.Onnx.Import.OnnxTorchModule backbone)
    {
        int index = backbone.NodeTypes.ToList().FindLastIndex(t => t == "Relu");
        return backbone.NodeOutputs[index];
    }

    // Medians of the two after a warm-up each, their passes alternating (a VM's speed drifts over seconds; taking the
    // passes of one and then of the other would compare two different machines).
    private static (double First, double Second) AlternatingMedians(Func<double> first, Func<double> second, int pairs)
    {
        first();
        second();
        var a = new List<double>();
        var b = new List<double>();
        for (int i = 0; i < pairs; i++)
        {
            var clock = Stopwatch.StartNew();
            first();
            a.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            second();
            b.Add(clock.Elapsed.TotalSeconds);
        }
        return (a.Order().ElementAt(pairs / 2), b.Order().ElementAt(pairs / 2));
    }
}
