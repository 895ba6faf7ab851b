using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Vision.Tests.Augmentation;

/// <summary>mlContext.Data.AugmentImages: rows, alignment, determinism, and no augmentation in saved models.</summary>
public class AugmentedImageDataViewTests
{
    private static readonly ImageAugmentationOptions Options = new()
    {
        RotationRange = 20, WidthShiftRange = 0.1f, HeightShiftRange = 0.1f, ZoomRange = 0.1f, HorizontalFlip = true, FillMode = FillMode.Reflect,
    };

    [Fact]
    public void Each_image_is_followed_by_its_variants_with_its_other_columns()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(3));
        var images = ml.Transforms.LoadImages("Image", null, "Path").Fit(photos).Transform(photos);
        var augmented = ml.Data.AugmentImages(images, "Image", Options, variantsPerImage: 2, seed: 42);

        Assert.Equal(9, augmented.GetRowCount());
        var labels = augmented.GetColumn<string>("Label").ToList();
        var paths = augmented.GetColumn<string>("Path").ToList();
        var originals = VisionData.Photos(3);
        Assert.Equal(originals.SelectMany(p => Enumerable.Repeat(p.Label, 3)), labels);
        Assert.Equal(originals.SelectMany(p => Enumerable.Repeat(p.Path, 3)), paths);

        var pixels = Pixels(augmented);
        var original = Pixels(images);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(original[i], pixels[3 * i]); // kept as it was
            Assert.NotEqual(original[i], pixels[3 * i + 1]); // transformed, same size
            Assert.Equal(original[i].Length, pixels[3 * i + 1].Length);
            Assert.NotEqual(pixels[3 * i + 1], pixels[3 * i + 2]); // two different draws
        }
    }

    [Fact]
    public void Passes_and_seeds_are_deterministic()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(2));
        var images = ml.Transforms.LoadImages("Image", null, "Path").Fit(photos).Transform(photos);
        var a = ml.Data.AugmentImages(images, "Image", Options, 1, keepOriginal: false, seed: 3);
        var b = ml.Data.AugmentImages(images, "Image", Options, 1, keepOriginal: false, seed: 3);
        var c = ml.Data.AugmentImages(images, "Image", Options, 1, keepOriginal: false, seed: 4);
        Assert.Equal(Pixels(a), Pixels(a)); // two passes
        Assert.Equal(Pixels(a), Pixels(b));
        Assert.NotEqual(Pixels(a)[0], Pixels(c)[0]);
        Assert.Equal(2, a.GetRowCount());
    }

    [Fact]
    public void A_model_trained_on_augmented_data_does_not_augment_when_it_predicts()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(4));
        var load = ml.Transforms.LoadImages("Image", null, "Path");
        var train = ml.Data.AugmentImages(load.Fit(photos).Transform(photos), "Image", Options, 2, seed: 1);
        var pipeline = ml.Transforms.ResizeImages("Image", 16, 16).Append(ml.Transforms.ExtractPixels("Pixels", "Image"));
        var model = load.Append(pipeline).Fit(photos);
        Assert.Equal(12, pipeline.Fit(train).Transform(train).GetColumn<float[]>("Pixels").Count());
        // The saved pipeline holds no augmentation: the same photos give the same pixels every time, one row each.
        var path = Path.Combine(Path.GetTempPath(), $"mlx-aug-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, photos.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        var first = loaded.Transform(photos).GetColumn<float[]>("Pixels").ToList();
        var second = loaded.Transform(photos).GetColumn<float[]>("Pixels").ToList();
        Assert.Equal(4, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(model.Transform(photos).GetColumn<float[]>("Pixels").ToList(), first);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(1));
        var images = ml.Transforms.LoadImages("Image", null, "Path").Fit(photos).Transform(photos);
        var wrongType = Assert.Throws<ArgumentException>(() => ml.Data.AugmentImages(images, "Path", Options));
        Assert.Contains("LoadImages", wrongType.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.AugmentImages(images, "Image", Options, variantsPerImage: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.AugmentImages(images, "Image", Options with { ZoomRange = 1.5f }));
        Assert.Throws<ArgumentException>(() => ml.Data.AugmentImages(images, "Nope", Options));
    }

    private static List<byte[]> Pixels(IDataView data) =>
        data.GetColumn<MLImage>("Image").Select(i => i.Pixels.ToArray()).ToList();
}
