using Mlx.Core.Batching;

namespace Mlx.Vision;

/// <summary>
/// Keras' <c>ImageDataGenerator</c> applied while a network trains (<c>NeuralNetworkOptions.Augmentation</c>): every
/// image of every training batch gets a new random rotation, shift, shear, zoom and flip (drawn as
/// <see cref="AffineAugmentation.Draw"/> does), so each epoch sees new variants — the book's recipe against
/// overfitting on small image sets. Works on (channels, height, width) examples; validation and scoring are not touched.
/// </summary>
public sealed class ImageBatchAugmentation : IBatchAugmentation
{
    private readonly ImageAugmentationOptions _options;
    private readonly float _fillValue;
    [ThreadStatic] private static float[]? t_scratch;

    /// <param name="options">The ranges to draw from (as for <c>AugmentImages</c>).</param>
    /// <param name="fillValue">The value of pixels outside the source with <see cref="FillMode.Constant"/>, in the network's scale (0 = black).</param>
    public ImageBatchAugmentation(ImageAugmentationOptions options, float fillValue = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _fillValue = fillValue;
    }

    /// <inheritdoc/>
    public void Augment(Span<float> batch, int rows, IReadOnlyList<int> exampleShape, Random random)
    {
        if (exampleShape.Count != 3)
            throw new ArgumentException($"ImageBatchAugmentation takes (channels, height, width) examples, but they are {exampleShape.Count}-D: set NeuralNetworkOptions.InputShape, e.g. new[] {{ 3, 64, 64 }}.");
        int channels = exampleShape[0], height = exampleShape[1], width = exampleShape[2], size = channels * height * width;
        var scratch = t_scratch is { } s && s.Length >= size ? s : t_scratch = new float[size];
        for (int i = 0; i < rows; i++)
        {
            var augmentation = AffineAugmentation.Draw(_options, width, height, random);
            ImageAugmenter.ApplyPlanar(batch.Slice(i * size, size), channels, height, width, augmentation, _options.FillMode, _fillValue, scratch);
        }
    }
}
