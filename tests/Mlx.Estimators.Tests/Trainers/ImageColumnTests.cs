using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// An ML.NET image column (LoadImages → ResizeImages) is a feature column: read as R, G, B planes in [0, 1], exactly as
/// ExtractPixels(scaleImage: 1/255) → InputShape (3, H, W), so both routes train the same network; the saved model
/// scores images in a new process identically.
/// </summary>
public class ImageColumnTests
{
    private sealed class Photo
    {
        public string Path { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private static IDataView Photos(MLContext ml)
    {
        string folder = RepoPaths.Combine("examples", "data", "tuxpaint_photos");
        var rows = File.ReadLines(Path.Combine(folder, "labels.csv")).Skip(1).Take(60).Select(l => l.Split(','))
            .Select(f => new Photo { Path = Path.Combine(folder, f[0]), Label = f[1] }).ToList();
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static NeuralNetworkOptions Options(string features, int[]? inputShape) => new()
    {
        FeatureColumnName = features, InputShape = inputShape,
        Layers = new Layer[] { Layer.Conv2D(8, 3, Activation.Relu), Layer.MaxPool2D(2), Layer.Flatten() },
        Epochs = 3, BatchSize = 16, Seed = 1, Threads = 1,
    };

    [Fact]
    public void An_image_column_trains_exactly_as_ExtractPixels_with_InputShape()
    {
        var ml = new MLContext(seed: 1);
        var photos = Photos(ml);
        var images = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 24, 20))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        var imageData = images.Fit(photos).Transform(photos);
        var pixelData = ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255).Fit(imageData).Transform(imageData);

        var fromImages = ml.MulticlassClassification.Trainers.NeuralNetwork(Options("Image", null)).Fit(imageData);
        var fromPixels = ml.MulticlassClassification.Trainers.NeuralNetwork(Options("Pixels", new[] { 3, 20, 24 })).Fit(pixelData);
        Assert.Equal(new[] { 3, 20, 24 }, fromImages.InputShape);
        Assert.Equal(fromPixels.History.Epochs.Select(e => e.Loss), fromImages.History.Epochs.Select(e => e.Loss));
        var scores = fromImages.Transform(imageData).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(fromPixels.Transform(pixelData).GetColumn<float[]>("Score").ToArray(), scores);

        ITransformer pipeline = images.Fit(photos).Append(fromImages);
        var there = ModelRoundTrip.TransformInNewProcess(ml, pipeline, photos, Path.Combine(Path.GetTempPath(), $"mlx-image-nn-{Guid.NewGuid():N}"))
            .GetColumn<float[]>("Score").ToArray();
        Assert.Equal(scores, there);
    }

    [Fact]
    public void Images_of_unknown_size_and_a_contradicting_InputShape_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var photos = Photos(ml);
        var unresized = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(photos).Transform(photos);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(Options("Image", null)).Fit(unresized));
        Assert.Contains("ResizeImages(\"Image\"", e.Message);

        var resized = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 24, 20))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(photos).Transform(photos);
        var shape = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(Options("Image", new[] { 3, 24, 20 })).Fit(resized));
        Assert.Contains("read as (3, 20, 24)", shape.Message);
    }
}
