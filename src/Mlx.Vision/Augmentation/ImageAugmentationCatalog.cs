using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Vision;

/// <summary>Image augmentation on <c>mlContext.Data</c>.</summary>
public static class ImageAugmentationCatalog
{
    /// <summary>
    /// Adds <paramref name="variantsPerImage"/> randomly transformed copies of every image (Keras
    /// <c>ImageDataGenerator</c> semantics, see <see cref="ImageAugmentationOptions"/>), other columns
    /// repeated. Apply it to training data only (after splitting off test folds, so that variants of one
    /// image never sit on both sides); it is data, not a pipeline step, so a saved model never augments.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">Data with an image column (from <c>LoadImages</c>).</param>
    /// <param name="imageColumnName">The image column.</param>
    /// <param name="options">Ranges, flips and fill mode.</param>
    /// <param name="variantsPerImage">Augmented copies per image.</param>
    /// <param name="keepOriginal">Whether each original image is kept before its variants.</param>
    /// <param name="seed">The seed; by default drawn from the MLContext's seed.</param>
    public static IDataView AugmentImages(this DataOperationsCatalog catalog, IDataView data, string imageColumnName,
        ImageAugmentationOptions options, int variantsPerImage = 1, bool keepOriginal = true, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        int chosen = seed ?? CatalogUtils.GetEnvironment(catalog).Register(nameof(AugmentImages)).Rand.Next();
        return new AugmentedImageDataView(data, imageColumnName, options, variantsPerImage, keepOriginal, chosen);
    }
}
