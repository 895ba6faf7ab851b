using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Vision.Tests.Augmentation;

/// <summary>
/// Augmentation of planar float batches (what a network trains on) samples exactly as the byte-image augmentation that
/// the Keras golden tests check; ImageBatchAugmentation draws one transform per image from the epoch's random source.
/// </summary>
public class ImageBatchAugmentationTests
{
    private static MLImage Photo()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(1));
        return ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 40, 32))
            .Fit(photos).Transform(photos).GetColumn<MLImage>("Image").Single();
    }

    [Theory]
    [InlineData(FillMode.Nearest)]
    [InlineData(FillMode.Constant)]
    [InlineData(FillMode.Reflect)]
    [InlineData(FillMode.Wrap)]
    public void Planar_floats_sample_as_the_byte_images_do(FillMode fill)
    {
        var image = Photo();
        int w = image.Width, h = image.Height;
        var pixels = image.Pixels.ToArray();
        var options = new ImageAugmentationOptions { RotationRange = 30, WidthShiftRange = 0.2f, HeightShiftRange = 0.2f, ShearRange = 15, ZoomRange = 0.2f, HorizontalFlip = true, VerticalFlip = true, FillMode = fill };
        var random = new Random(3);
        for (int trial = 0; trial < 10; trial++)
        {
            var augmentation = AffineAugmentation.Draw(options, w, h, random);
            var bytes = new byte[pixels.Length];
            ImageAugmenter.Apply(pixels, w, h, augmentation, fill, 0, bytes);
            // The same 4 channels as planes.
            var planes = new float[4 * h * w];
            for (int p = 0; p < h * w; p++)
                for (int k = 0; k < 4; k++)
                    planes[k * h * w + p] = pixels[p * 4 + k];
            ImageAugmenter.ApplyPlanar(planes, 4, h, w, augmentation, fill, 0, new float[planes.Length]);
            for (int p = 0; p < h * w; p++)
                for (int k = 0; k < 4; k++)
                    Assert.True(Math.Abs(planes[k * h * w + p] - bytes[p * 4 + k]) <= 0.5 + 1e-4, $"trial {trial} pixel {p} channel {k}: {planes[k * h * w + p]} vs {bytes[p * 4 + k]}");
        }
    }

    [Fact]
    public void Each_image_of_a_batch_gets_its_own_seeded_transform()
    {
        var options = new ImageAugmentationOptions { RotationRange = 40, WidthShiftRange = 0.2f, HorizontalFlip = true, FillMode = FillMode.Reflect };
        var shape = new[] { 3, 12, 10 };
        int size = 3 * 12 * 10;
        var original = Enumerable.Range(0, size).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        var batch = Enumerable.Repeat(original, 4).SelectMany(x => x).ToArray();
        var again = (float[])batch.Clone();
        new ImageBatchAugmentation(options).Augment(batch, 4, shape, new Random(11));
        new ImageBatchAugmentation(options).Augment(again, 4, shape, new Random(11));
        Assert.Equal(batch, again); // a seed fixes the variants

        // Four copies of one image become four different images, each what AffineAugmentation.Draw gives in turn.
        var random = new Random(11);
        for (int i = 0; i < 4; i++)
        {
            var expected = (float[])original.Clone();
            ImageAugmenter.ApplyPlanar(expected, 3, 12, 10, AffineAugmentation.Draw(options, 10, 12, random), FillMode.Reflect, 0, new float[size]);
            Assert.Equal(expected, batch.AsSpan(i * size, size).ToArray());
        }
        Assert.NotEqual(batch.AsSpan(0, size).ToArray(), batch.AsSpan(size, size).ToArray());

        var flat = Assert.Throws<ArgumentException>(() => new ImageBatchAugmentation(options).Augment(batch, 4, new[] { size }, new Random(1)));
        Assert.Contains("NeuralNetworkOptions.InputShape", flat.Message);
    }
}
