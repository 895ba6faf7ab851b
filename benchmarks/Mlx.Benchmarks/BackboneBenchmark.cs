using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Mlx.Estimators.Runtime;
using Mlx.Vision;
using static TorchSharp.torch;

namespace Mlx.Benchmarks;

/// <summary>
/// The bundled ImageNet ResNet18 imported as a TorchSharp module (<see cref="OnnxBackbone.ToTorchModule"/>) against
/// ONNX Runtime on the same file and the same batches of 32 random 224×224 images, 2 threads each: forward only, in
/// eval mode under no_grad. Goal of #13: within 10 % of ONNX Runtime. Median of 3 timed passes after a warm-up.
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
        double Imported()
        {
            using var _ = no_grad();
            for (int start = 0; start < images; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var x = tensor(pixels.AsSpan(start * 3 * Side * Side, BatchSize * 3 * Side * Side).ToArray(), [BatchSize, 3, Side, Side]);
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

        double imported = Median(Imported), runtime = Median(Runtime);
        Console.WriteLine($"  ResNet18 forward, batches of {BatchSize}: imported TorchSharp module {images / imported:F1} images/s, ONNX Runtime {images / runtime:F1} ({runtime / imported:F2}x)");
        return [new BenchmarkResult("resnet18_import_forward", $"{images} x 3x224x224, batch {BatchSize}", imported, runtime, "ONNX Runtime 1.31 on the same file, 2 threads, s for the images")];
    }

    private static double Median(Func<double> pass)
    {
        pass();
        var times = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(1);
    }
}
