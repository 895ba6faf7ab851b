// Transfer learning with little data (Deep Learning with Python, ch. 8): 165 real photos in 5 classes.
// 1. A grid of Keras-style augmented variants of one photo (PNG).
// 2. ResNet18 (ImageNet, bundled) features + ML.NET's L-BFGS maximum entropy vs the same trainer on raw
//    pixels, 5-fold cross-validated; the featurized model is saved, reloaded and used for a prediction.
// 3. Fine-tuning (book 5.3.2): ResNet18 frozen under a new head, then its top residual block trained at a low learning
//    rate, with augmentation on the fly; held-out accuracy against features + maximum entropy on the same split,
//    history curves and a Grad-CAM heatmap of a held-out photo (PNGs).
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.Shared;
using Mlx.Vision;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
ml.Log += (_, e) =>
{
    if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.Contains("FeaturizeImage"))
        Console.WriteLine($"  [progress] {e.RawMessage}");
};
string folder = RepositoryRoot.Combine("examples", "data", "tuxpaint_photos");
string outDir = RepositoryRoot.Combine("out", "transfer-learning");
Directory.CreateDirectory(outDir);
var photos = File.ReadLines(Path.Combine(folder, "labels.csv")).Skip(1)
    .Select(l => l.Split(','))
    .Select(f => new Photo { Path = Path.Combine(folder, f[0]), Label = f[1] })
    .ToList();
Console.WriteLine($"tuxpaint_photos: {photos.Count} photos, classes " +
                  string.Join(", ", photos.GroupBy(p => p.Label).Select(g => $"{g.Key} {g.Count()}")));
var data = ml.Data.LoadFromEnumerable(photos);

// 1. Augmentation grid: the original and 8 variants of one photo.
var augmentation = new ImageAugmentationOptions
{
    RotationRange = 40, WidthShiftRange = 0.2f, HeightShiftRange = 0.2f, ShearRange = 20, ZoomRange = 0.2f,
    HorizontalFlip = true, FillMode = FillMode.Reflect,
};
var one = ml.Data.LoadFromEnumerable(photos.Where(p => p.Path.EndsWith("crowned_crane.png")).Take(1));
var loaded = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 160, 160)).Fit(one).Transform(one);
var variants = ml.Data.AugmentImages(loaded, "Image", augmentation, variantsPerImage: 8, seed: 7)
    .GetColumn<MLImage>("Image").ToList();
string gridPath = Path.Combine(outDir, "augmented-variants.png");
Grid.Save(variants, columns: 3, gridPath);
Console.WriteLine($"\nAugmentation (rotation ±40°, shifts ±20%, shear ±20°, zoom ±20%, flips, reflect fill): wrote {Path.GetRelativePath(RepositoryRoot.Path, gridPath)}");

// 2. Features once (the backbone is fixed), then cross-validate the classifier on them.
var featurize = ml.Transforms.LoadImages("Image", null, "Path")
    .Append(ml.Transforms.ResizeImages("Image", 224, 224))
    .Append(ml.Transforms.FeaturizeImage("Features", "Image", batchSize: 32));
Console.WriteLine($"\nFeaturizing {photos.Count} photos with {OnnxBackbone.ResNet18()} ...");
var featureClock = Stopwatch.StartNew();
var features = ml.Data.Cache(featurize.Fit(data).Transform(data), "Features", "Label");
long rows = features.GetColumn<string>("Label").Count(); // fills the cache
Console.WriteLine($"  {rows} photos featurized in {featureClock.Elapsed.TotalSeconds:F1} s ({rows / featureClock.Elapsed.TotalSeconds:F1} photos/s)");

var pixels = ml.Data.Cache(ml.Transforms.LoadImages("Image", null, "Path")
    .Append(ml.Transforms.ResizeImages("Image", 32, 32))
    .Append(ml.Transforms.ExtractPixels("Features", "Image", scaleImage: 1f / 255))
    .Fit(data).Transform(data), "Features", "Label");

var classifier = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.NormalizeMinMax("Features"))
    .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
Console.WriteLine("\n5-fold cross-validation, L-BFGS maximum entropy:");
Console.WriteLine($"  {"features",-34} {"accuracy",9} {"± sd",7} {"log-loss",9}");
var comparison = new List<(string Name, double Mean, double Sd)>();
foreach (var (name, view) in new[] { ("raw pixels (32x32x3 = 3,072)", pixels), ("ResNet18 ImageNet features (512)", features) })
{
    var folds = ml.MulticlassClassification.CrossValidate(view, classifier, numberOfFolds: 5);
    var accuracy = folds.Select(f => f.Metrics.MicroAccuracy).ToArray();
    double mean = accuracy.Average(), sd = Math.Sqrt(accuracy.Sum(a => (a - mean) * (a - mean)) / (accuracy.Length - 1));
    Console.WriteLine($"  {name,-34} {mean,9:P1} {sd,7:P1} {folds.Average(f => f.Metrics.LogLoss),9:F3}");
    comparison.Add((name, mean, sd));
}
// ScottPlot and ML.NET's image transforms share SkiaSharp 3 since ML.NET 6.0: both work in one process.
string chartPath = Path.Combine(outDir, "cv-accuracy.png");
AccuracyChart.Save(comparison, chartPath);
Console.WriteLine($"Wrote {Path.GetRelativePath(RepositoryRoot.Path, chartPath)}");

// 3. The whole pipeline (images in, class out) trained on all photos, saved with the ONNX bytes inside, reloaded.
var model = featurize.Append(classifier).Fit(data);
string modelPath = Path.Combine(outDir, "resnet18-tuxpaint.zip");
ml.Model.Save(model, data.Schema, modelPath);
var reloaded = ml.Model.Load(modelPath, out _);
var engine = ml.Model.CreatePredictionEngine<Photo, Prediction>(reloaded);
var sample = photos[photos.Count / 2];
Console.WriteLine($"\nSaved {Path.GetRelativePath(RepositoryRoot.Path, modelPath)} ({new FileInfo(modelPath).Length / 1e6:F1} MB, the network included); " +
                  $"reloaded model predicts '{engine.Predict(sample).PredictedLabel}' for {Path.GetFileName(sample.Path)} (a {sample.Label} photo).");

// 4. Fine-tuning on an 80/20 split, against features + maximum entropy on the same split.
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 3);
var linear = featurize.Append(classifier).Fit(split.TrainSet);
double linearAccuracy = ml.MulticlassClassification.Evaluate(linear.Transform(split.TestSet)).MicroAccuracy;
var imagePrep = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.LoadImages("Image", null, "Path"))
    .Append(ml.Transforms.ResizeImages("Image", 224, 224))
    .Fit(split.TrainSet);
var fineTuneOptions = new NeuralNetworkOptions
{
    FeatureColumnName = "Image",
    Layers = [Layer.Flatten(), Layer.BatchNormalization(), Layer.Dropout(0.5)],   // the head; the 5-way softmax layer is added
    Epochs = 6, Optimizer = Optimizer.RmsProp(1e-3), BatchSize = 16, Seed = 1,
    FineTuning = new FineTuningPhase { Epochs = 4, Optimizer = Optimizer.RmsProp(1e-4) },
    Augmentation = new ImageBatchAugmentation(new ImageAugmentationOptions { RotationRange = 20, WidthShiftRange = 0.1f, HeightShiftRange = 0.1f, ZoomRange = 0.1f, HorizontalFlip = true, FillMode = FillMode.Reflect }),
    ValidationData = imagePrep.Transform(split.TestSet),          // the trainer reads validation rows as it reads training rows
    Progress = new Progress<TrainingProgress>(p => { if (p.EpochEnd is { } e) Console.WriteLine($"  epoch {e.Epoch,2}: loss {e.Loss:F3}, accuracy {e.Metric:P0}, held-out accuracy {e.ValidationMetric:P1} ({e.Seconds:F1} s)"); }),
};
Console.WriteLine($"\nFine-tuning ResNet18 on {split.TrainSet.GetRowCount() ?? 132} photos: {fineTuneOptions.Epochs} epochs of the head (base frozen), then {fineTuneOptions.FineTuning.Epochs} with the top residual block unfrozen:");
var fineTuneClock = Stopwatch.StartNew();
var tuned = imagePrep.Append(ml.MulticlassClassification.Trainers.FineTuneImageClassifier(OnnxBackbone.ResNet18(), fineTuneOptions, unfreezeTopConvolutions: 2)
    .Fit(imagePrep.Transform(split.TrainSet)));
var tunedNetwork = ((IEnumerable<ITransformer>)tuned).OfType<NeuralNetworkModel>().Single();
double tunedAccuracy = ml.MulticlassClassification.Evaluate(tuned.Transform(split.TestSet)).MicroAccuracy;
string historyPath = Path.Combine(outDir, "fine-tuning-history.png");
tunedNetwork.History.SavePlot(historyPath);
Console.WriteLine($"  held-out accuracy ({split.TestSet.GetColumn<string>("Label").Count()} photos): fine-tuned {tunedAccuracy:P1} vs ResNet18 features + maximum entropy {linearAccuracy:P1}; " +
                  $"{fineTuneClock.Elapsed.TotalSeconds:F0} s; wrote {Path.GetRelativePath(RepositoryRoot.Path, historyPath)}");

// Grad-CAM: where the fine-tuned network looks in a held-out photo (its last residual stage, the predicted class). The
// features are the trainer's: the photo's R, G, B planes in [0, 1].
var heldOut = split.TestSet.GetColumn<string>("Path").First();
var heldOutRow = ml.Data.LoadFromEnumerable(new[] { new Photo { Path = heldOut } });
var photoPixels = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 224, 224))
    .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255)).Fit(heldOutRow).Transform(heldOutRow).GetColumn<float[]>("Pixels").Single();
using (var photoTensor = TorchSharp.torch.tensor(photoPixels, [1, photoPixels.Length]))
{
    var cam = Mlx.Vision.Visualization.GradCam.Compute(tunedNetwork, photoTensor, "ReLU393_Output_0")[0];   // ResNet18's last ReLU
    string camPath = Path.Combine(outDir, "grad-cam.png");
    Mlx.Vision.Visualization.HeatmapImage.Save(cam, heldOut, camPath);
    Console.WriteLine($"  Grad-CAM of {Path.GetFileName(heldOut)} (predicted '{tunedNetwork.ClassNames![cam.ClassIndex]}'): wrote {Path.GetRelativePath(RepositoryRoot.Path, camPath)}");
}
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F0} s.");

internal sealed class Photo
{
    public string Path { get; set; } = "";
    public string Label { get; set; } = "";
}

internal sealed class Prediction
{
    public string PredictedLabel { get; set; } = "";
}

/// <summary>Tiles images of one size into a PNG grid.</summary>
internal static class Grid
{
    public static void Save(IReadOnlyList<MLImage> images, int columns, string path)
    {
        int w = images[0].Width, h = images[0].Height, gap = 4;
        int rowsCount = (images.Count + columns - 1) / columns;
        int width = columns * w + (columns - 1) * gap, height = rowsCount * h + (rowsCount - 1) * gap;
        var canvas = new byte[width * height * 4];
        canvas.AsSpan().Fill(255);
        for (int i = 0; i < images.Count; i++)
        {
            int x0 = (i % columns) * (w + gap), y0 = (i / columns) * (h + gap);
            var src = images[i].Pixels;
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    // Composite over white: the photos have transparent backgrounds.
                    int s = (y * w + x) * 4, d = ((y0 + y) * width + x0 + x) * 4;
                    float alpha = src[s + 3] / 255f;
                    for (int k = 0; k < 3; k++)
                        canvas[d + k] = (byte)Math.Round(src[s + k] * alpha + 255 * (1 - alpha));
                    canvas[d + 3] = 255;
                }
            }
        }
        using var grid = MLImage.CreateFromPixels(width, height, images[0].PixelFormat, canvas);
        grid.Save(path);
    }
}

/// <summary>Cross-validated accuracy per feature set, as bars with ± one standard deviation.</summary>
internal static class AccuracyChart
{
    public static void Save(IReadOnlyList<(string Name, double Mean, double Sd)> results, string path)
    {
        var plot = new ScottPlot.Plot();
        for (int i = 0; i < results.Count; i++)
        {
            var bar = new ScottPlot.Bar { Position = i, Value = results[i].Mean * 100, Error = results[i].Sd * 100, FillColor = ScottPlot.Palette.Default.GetColor(i) };
            plot.Add.Bar(bar);
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, results.Count).Select(i => (double)i).ToArray(), results.Select(r => r.Name).ToArray());
        plot.Axes.SetLimitsY(0, 100);
        plot.YLabel("5-fold CV accuracy (%)");
        plot.Title("165 tuxpaint photos, 5 classes: L-BFGS maximum entropy");
        plot.SavePng(path, 800, 450);
    }
}
