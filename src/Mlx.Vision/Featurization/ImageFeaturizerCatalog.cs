using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Vision;

/// <summary>The featurizer on <c>mlContext.Transforms</c>.</summary>
public static class ImageFeaturizerCatalog
{
    /// <summary>
    /// Featurizes images with a pretrained backbone, in batches: the output is a known-size vector of
    /// Single (512 for the default ResNet18). The input is an image column (from <c>LoadImages</c> and
    /// <c>ResizeImages</c> to the backbone's size) or a planar RGB pixel vector of 0–255 values (as
    /// <c>ExtractPixels</c> gives by default).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The feature column to write.</param>
    /// <param name="inputColumnName">The image or pixel column to read.</param>
    /// <param name="backbone">The network; by default <see cref="OnnxBackbone.ResNet18"/>.</param>
    /// <param name="batchSize">Images per ONNX Runtime call.</param>
    /// <param name="intraOpThreads">ONNX Runtime threads per call; 0 uses one per core.</param>
    /// <param name="badImages">An image that cannot be read (corrupt or empty file): an error naming the row and file
    /// (default), or NaN features for that row to filter out afterwards.</param>
    public static FeaturizeImageEstimator FeaturizeImage(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        OnnxBackbone? backbone = null, int batchSize = 32, int intraOpThreads = 0, BadImageHandling badImages = BadImageHandling.Fail)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FeaturizeImageEstimator(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName,
            backbone ?? OnnxBackbone.ResNet18(), batchSize, intraOpThreads, badImages);
    }
}
