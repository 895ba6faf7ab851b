using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Mlx.Shared;
using Mlx.Vision;

namespace Mlx.Benchmarks;

/// <summary>
/// ResNet18 featurization throughput (images/s) on the same 224×224 pixel vectors, in one run:
/// (a) Mlx FeaturizeImage, (b) ML.NET DnnFeaturizeImage (same NuGet ResNet18), (c) ML.NET ApplyOnnxModel
/// on the same network, (d) a hand-written batched ONNX Runtime loop (symbolic batch, batch 32).
/// Every path uses ONNX Runtime on all cores; inputs are in memory so image decoding is not measured.
/// </summary>
internal static class VisionBenchmark
{
    private const int Side = 224, Length = 3 * Side * Side, BatchSize = 32;

    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        int images = Math.Max(BatchSize, (int)Math.Round(128 * options.Scale));
        var ml = new MLContext(seed: 1);
        var pixels = LoadPixels(ml, images);
        var data = ml.Data.LoadFromEnumerable(pixels, Definition());
        string data224 = $"{images} x 224x224 RGB";
        var backbone = OnnxBackbone.ResNet18();

        var mlx = ml.Transforms.FeaturizeImage("Features", "Pixels", backbone, BatchSize).Fit(data);
        double a = Time(() => Consume(mlx.Transform(data), "Features"));

        var raw = RawLoop(backbone, pixels);
        double d = Time(raw);
        double? b = null, c = null;
        if (options.RunReference)
        {
            var dnn = ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels").Fit(data);
            b = Time(() => Consume(dnn.Transform(data), "Features"));
            var renamed = ml.Transforms.CopyColumns("Input247", "Pixels").Fit(data).Transform(data);
            var onnxFile = Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
            var apply = ml.Transforms.ApplyOnnxModel("Pooling395_Output_0", "Input247", onnxFile).Fit(renamed);
            c = Time(() => Consume(apply.Transform(renamed), "Pooling395_Output_0"));
        }
        // End to end from PNG files (decode, resize, featurize), as an application runs it.
        var files = ml.Data.LoadFromEnumerable(Paths(images));
        var load = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", Side, Side));
        var mlxFiles = load.Append(ml.Transforms.FeaturizeImage("Features", "Image", backbone, BatchSize)).Fit(files);
        double e = Time(() => Consume(mlxFiles.Transform(files), "Features"));
        double? f = null;
        if (options.RunReference)
        {
            var dnnFiles = load.Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
                .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels")).Fit(files);
            f = Time(() => Consume(dnnFiles.Transform(files), "Features"));
        }
        Console.WriteLine($"  images/s in memory: Mlx FeaturizeImage {images / a:F1}, raw batched ONNX Runtime {images / d:F1}" +
            (b is double bb && c is double cc ? $", ML.NET DnnFeaturizeImage {images / bb:F1}, ML.NET ApplyOnnxModel {images / cc:F1}" : ""));
        Console.WriteLine($"  images/s from PNG files: Mlx {images / e:F1}" + (f is double ff ? $", ML.NET DnnFeaturizeImage {images / ff:F1}" : ""));
        return new[]
        {
            new BenchmarkResult("resnet18_files", $"{images} PNG -> 224x224", e, f, "ML.NET LoadImages+Resize+ExtractPixels+DnnFeaturizeImage"),
            new BenchmarkResult("resnet18_vs_dnn", data224, a, b, "ML.NET DnnFeaturizeImage (row by row)"),
            new BenchmarkResult("resnet18_vs_onnx", data224, a, c, "ML.NET ApplyOnnxModel (row by row)"),
            new BenchmarkResult("resnet18_vs_raw", data224, a, d, $"raw batched ONNX Runtime loop (batch {BatchSize})"),
        };
    }

    /// <summary>One warm-up (session creation, first-run allocation), then one timed run.</summary>
    private static double Time(Action action)
    {
        action();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Consume(IDataView data, string column)
    {
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
            getter(ref value);
    }

    /// <summary>The best a hand-written loop does: normalise into one buffer, one Run per batch of 32, outputs preallocated.</summary>
    private static Action RawLoop(OnnxBackbone backbone, IReadOnlyList<PixelRow> rows)
    {
        var prepared = Path.Combine(Path.GetTempPath(), "mlx-bench-resnet18-batched.onnx");
        backbone.SavePreparedModel(prepared);
        var session = new InferenceSession(prepared, new SessionOptions { IntraOpNumThreads = 0, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL });
        var mean = backbone.Preprocessing.MeanImage!.ToArray();
        var input = new float[BatchSize * Length];
        var output = new float[BatchSize * 512];
        return () =>
        {
            for (int start = 0; start < rows.Count; start += BatchSize)
            {
                int count = Math.Min(BatchSize, rows.Count - start);
                for (int i = 0; i < count; i++)
                {
                    var src = rows[start + i].Pixels;
                    var dst = input.AsSpan(i * Length, Length);
                    int plane = Side * Side;
                    for (int ch = 0; ch < 3; ch++) // BGR planes from RGB, minus the mean image
                        System.Numerics.Tensors.TensorPrimitives.Subtract(src.AsSpan((2 - ch) * plane, plane), mean.AsSpan(ch * plane, plane), dst.Slice(ch * plane, plane));
                }
                using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count * Length), new long[] { count, 3, Side, Side });
                using var y = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, count * 512), new long[] { count, 512, 1, 1 });
                session.Run(new RunOptions(), new[] { backbone.InputName }, new[] { x }, new[] { backbone.OutputName }, new[] { y });
            }
        };
    }

    private static IEnumerable<PathRow> Paths(int count)
    {
        var folder = RepositoryRoot.Combine("examples", "data", "tuxpaint_photos");
        var files = File.ReadLines(Path.Combine(folder, "labels.csv")).Skip(1).Select(l => Path.Combine(folder, l.Split(',')[0])).ToList();
        return Enumerable.Range(0, count).Select(i => new PathRow { Path = files[i % files.Count] }).ToList();
    }

    private static List<PixelRow> LoadPixels(MLContext ml, int count)
    {
        var paths = ml.Data.LoadFromEnumerable(Paths(count));
        var pixels = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.ResizeImages("Image", Side, Side))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Fit(paths).Transform(paths);
        return pixels.GetColumn<float[]>("Pixels").Select(p => new PixelRow { Pixels = p }).ToList();
    }

    private static SchemaDefinition Definition()
    {
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Length);
        return definition;
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }
}
