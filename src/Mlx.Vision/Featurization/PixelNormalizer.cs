using Microsoft.ML.Data;

namespace Mlx.Vision;

/// <summary>
/// Writes images into a backbone's planar input, normalised on the way (<see cref="ImagePreprocessing"/>
/// folded into one multiply-add per value, the mean image pre-divided by the standard deviation).
/// </summary>
internal sealed class PixelNormalizer
{
    private readonly int _channels, _height, _width;
    private readonly float[] _multiplier, _offset;
    private readonly int[] _sourcePlane; // model plane c reads RGB channel _sourcePlane[c]
    private readonly float[]? _scaledMeanImage;

    public PixelNormalizer(OnnxBackbone backbone)
    {
        _channels = backbone.Channels;
        _height = backbone.Height;
        _width = backbone.Width;
        (_multiplier, _offset, _sourcePlane, _scaledMeanImage) = backbone.Preprocessing.Fold(_channels, _height, _width);
    }

    public int Length => _channels * _height * _width;

    /// <summary>Writes an image (BGRA32 or RGBA32, the backbone's size) into <paramref name="destination"/>.</summary>
    public void Write(MLImage image, Span<float> destination)
    {
        var pixels = image.Pixels;
        int plane = _height * _width;
        // Byte offsets of R, G, B within a 4-byte pixel.
        int r = image.PixelFormat == MLPixelFormat.Rgba32 ? 0 : 2, g = 1, b = image.PixelFormat == MLPixelFormat.Rgba32 ? 2 : 0;
        if (_channels == 1)
        {
            // ITU-R 601 luma, as PIL's convert('L').
            for (int i = 0; i < plane; i++)
            {
                float luma = 0.299f * pixels[4 * i + r] + 0.587f * pixels[4 * i + g] + 0.114f * pixels[4 * i + b];
                destination[i] = Finish(0, i, luma * _multiplier[0] + _offset[0]);
            }
            return;
        }
        Span<int> offsets = stackalloc int[] { r, g, b };
        for (int c = 0; c < _channels; c++)
        {
            int source = offsets[_sourcePlane[c]];
            var planeOut = destination.Slice(c * plane, plane);
            float m = _multiplier[c], o = _offset[c];
            for (int i = 0; i < plane; i++)
                planeOut[i] = pixels[4 * i + source] * m + o;
            if (_scaledMeanImage != null)
                System.Numerics.Tensors.TensorPrimitives.Subtract(planeOut, _scaledMeanImage.AsSpan(c * plane, plane), planeOut);
        }
    }

    /// <summary>Writes a planar RGB pixel vector (0–255, as ML.NET's ExtractPixels gives) into <paramref name="destination"/>.</summary>
    public void Write(ReadOnlySpan<float> rgbPlanes, Span<float> destination)
    {
        int plane = _height * _width;
        for (int c = 0; c < _channels; c++)
        {
            var planeIn = rgbPlanes.Slice(_sourcePlane[c] * plane, plane);
            var planeOut = destination.Slice(c * plane, plane);
            System.Numerics.Tensors.TensorPrimitives.Multiply(planeIn, _multiplier[c], planeOut);
            System.Numerics.Tensors.TensorPrimitives.Add(planeOut, _offset[c], planeOut);
            if (_scaledMeanImage != null)
                System.Numerics.Tensors.TensorPrimitives.Subtract(planeOut, _scaledMeanImage.AsSpan(c * plane, plane), planeOut);
        }
    }

    private float Finish(int c, int i, float value) => _scaledMeanImage == null ? value : value - _scaledMeanImage[c * _height * _width + i];
}
