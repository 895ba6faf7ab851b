using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using Mlx.Core.Errors;

namespace Mlx.Vision;

/// <summary>
/// Estimator for <see cref="FeaturizeImageTransformer"/> (nothing is learned: fitting checks the input
/// column against the backbone). Created by <c>mlContext.Transforms.FeaturizeImage</c>.
/// </summary>
public sealed class FeaturizeImageEstimator : IEstimator<FeaturizeImageTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly string _outputColumnName, _inputColumnName;
    private readonly OnnxBackbone _backbone;
    private readonly int _batchSize, _intraOpThreads;
    private readonly BadImageHandling _badImages;

    internal FeaturizeImageEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, OnnxBackbone backbone, int batchSize, int intraOpThreads,
        BadImageHandling badImages = BadImageHandling.Fail)
    {
        if (!Enum.IsDefined(badImages))
            throw new ArgumentOutOfRangeException(nameof(badImages), badImages, "Use BadImageHandling.Fail or BadImageHandling.MissingFeatures.");
        _badImages = badImages;
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1 (32 is a good default on CPU).");
        if (intraOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(intraOpThreads), intraOpThreads, "Threads must be 0 (one per core) or more.");
        _env = env;
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName;
        _backbone = backbone;
        _batchSize = batchSize;
        _intraOpThreads = intraOpThreads;
    }

    /// <summary>Checks the input column and returns the transformer.</summary>
    public FeaturizeImageTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_inputColumnName)
            ?? throw MlxError.MissingColumn(_inputColumnName, input.Schema.Select(c => c.Name));
        bool isImage = CheckInput(column, _backbone);
        return new FeaturizeImageTransformer(_env, _outputColumnName, _inputColumnName, isImage, _backbone, _batchSize, _intraOpThreads, _badImages);
    }

    /// <summary>The input schema plus the feature column (known-size vector of Single).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(_inputColumnName, out var input))
            throw MlxError.MissingColumn(_inputColumnName, inputSchema.Select(c => c.Name));
        bool image = input.Kind == SchemaShape.Column.VectorKind.Scalar && input.ItemType is ImageDataViewType;
        bool pixels = input.Kind == SchemaShape.Column.VectorKind.Vector && input.ItemType == NumberDataViewType.Single;
        if (!image && !pixels)
            throw WrongType(_inputColumnName, $"{input.ItemType}", _backbone);
        var result = inputSchema.ToDictionary(c => c.Name);
        result[_outputColumnName] = new SchemaShape.Column(_outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(result.Values);
    }

    /// <summary>Checks an input column; returns true for an image column, false for a pixel vector.</summary>
    internal static bool CheckInput(DataViewSchema.Column column, OnnxBackbone backbone)
    {
        if (column.Type is ImageDataViewType image)
        {
            if (image.Height > 0 && image.Width > 0 && (image.Height != backbone.Height || image.Width != backbone.Width))
            {
                throw MlxError.WrongColumnType(column.Name, $"images of {backbone.Width}×{backbone.Height} (backbone {backbone.Name})", $"images of {image.Width}×{image.Height}",
                    $"Resize first: mlContext.Transforms.ResizeImages(\"{column.Name}\", {backbone.Width}, {backbone.Height}).");
            }
            return true;
        }
        int length = backbone.Channels * backbone.Height * backbone.Width;
        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType n } v && n.RawType == typeof(float))
        {
            if (v.Size != length)
            {
                throw MlxError.WrongColumnType(column.Name, $"Vector<Single, {length}> ({backbone.Channels}×{backbone.Height}×{backbone.Width} planar RGB pixels)", $"{column.Type}",
                    $"Resize images to {backbone.Width}×{backbone.Height} before ExtractPixels, or pass the image column itself.");
            }
            return false;
        }
        throw WrongType(column.Name, $"{column.Type}", backbone);
    }

    private static ArgumentException WrongType(string column, string actual, OnnxBackbone backbone) =>
        MlxError.WrongColumnType(column, $"an image column or a Vector<Single, {backbone.Channels * backbone.Height * backbone.Width}> of pixels", actual,
            "Load images with mlContext.Transforms.LoadImages and resize them with ResizeImages.");
}
