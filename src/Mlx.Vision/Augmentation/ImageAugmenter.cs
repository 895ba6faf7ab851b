using Microsoft.ML.Data;

namespace Mlx.Vision;

/// <summary>
/// Applies an <see cref="AffineAugmentation"/> to 4-byte-per-pixel images (BGRA/RGBA): for each output
/// pixel, the input point the affine map gives is sampled bilinearly with the fill mode deciding what
/// lies outside (scipy.ndimage.affine_transform with order 1, as Keras' ImageDataGenerator), then flips
/// are applied. All four channels are transformed alike.
/// </summary>
public static class ImageAugmenter
{
    /// <summary>A new image: <paramref name="image"/> transformed by <paramref name="augmentation"/>.</summary>
    public static MLImage Apply(MLImage image, AffineAugmentation augmentation, FillMode fillMode = FillMode.Nearest, byte fillValue = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.PixelFormat != MLPixelFormat.Bgra32 && image.PixelFormat != MLPixelFormat.Rgba32)
            throw new ArgumentException($"Unsupported pixel format {image.PixelFormat}: augmentation takes 32-bit BGRA or RGBA images.", nameof(image));
        var output = new byte[image.Width * image.Height * 4];
        Apply(image.Pixels, image.Width, image.Height, augmentation, fillMode, fillValue, output);
        return MLImage.CreateFromPixels(image.Width, image.Height, image.PixelFormat, output);
    }

    /// <summary>Transforms interleaved 4-channel pixels (row-major, <paramref name="width"/> × <paramref name="height"/>).</summary>
    public static void Apply(ReadOnlySpan<byte> pixels, int width, int height, AffineAugmentation augmentation, FillMode fillMode, byte fillValue, Span<byte> output)
    {
        if (pixels.Length != width * height * 4 || output.Length != pixels.Length)
            throw new ArgumentException($"Expected {width}×{height}×4 bytes of pixels and of output, got {pixels.Length} and {output.Length}.");
        var m = augmentation.OutputToInput(height, width);
        for (int r = 0; r < height; r++)
        {
            // Flips act on the resampled image: output row r of the flipped image is row r' of the resampled one.
            int sourceRow = augmentation.FlipVertical ? height - 1 - r : r;
            for (int c = 0; c < width; c++)
            {
                int sourceColumn = augmentation.FlipHorizontal ? width - 1 - c : c;
                double inRow = m[0] * sourceRow + m[1] * sourceColumn + m[2];
                double inColumn = m[3] * sourceRow + m[4] * sourceColumn + m[5];
                Sample(pixels, width, height, inRow, inColumn, fillMode, fillValue, output.Slice((r * width + c) * 4, 4));
            }
        }
    }

    private static void Sample(ReadOnlySpan<byte> pixels, int width, int height, double row, double column, FillMode mode, byte fillValue, Span<byte> destination)
    {
        const double Edge = 1e-9; // tolerance for points that land on the edge through rounding
        if (mode == FillMode.Constant && (row < -Edge || row > height - 1 + Edge || column < -Edge || column > width - 1 + Edge))
        {
            destination.Fill(fillValue);
            return;
        }
        double r0 = Math.Floor(row), c0 = Math.Floor(column);
        double fr = row - r0, fc = column - c0;
        int ra = Index((long)r0, height, mode), rb = Index((long)r0 + 1, height, mode);
        int ca = Index((long)c0, width, mode), cb = Index((long)c0 + 1, width, mode);
        int p00 = (ra * width + ca) * 4, p01 = (ra * width + cb) * 4, p10 = (rb * width + ca) * 4, p11 = (rb * width + cb) * 4;
        for (int k = 0; k < 4; k++)
        {
            double top = pixels[p00 + k] + fc * (pixels[p01 + k] - pixels[p00 + k]);
            double bottom = pixels[p10 + k] + fc * (pixels[p11 + k] - pixels[p10 + k]);
            double value = top + fr * (bottom - top);
            destination[k] = (byte)Math.Clamp(Math.Round(value), 0, 255);
        }
    }

    /// <summary>Maps an integer coordinate outside [0, n) into it, per fill mode.</summary>
    private static int Index(long i, int n, FillMode mode)
    {
        if (i >= 0 && i < n)
            return (int)i;
        switch (mode)
        {
            case FillMode.Reflect:
                // Half-sample symmetric: period 2n, then mirror the second half.
                long period = 2L * n;
                long k = ((i % period) + period) % period;
                return (int)(k < n ? k : period - 1 - k);
            case FillMode.Wrap:
                return (int)(((i % n) + n) % n);
            default:
                // Nearest, and Constant's in-range points whose far neighbour (weight 0) is past the edge.
                return (int)Math.Clamp(i, 0, n - 1);
        }
    }
}
