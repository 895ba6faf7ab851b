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
            for (int c = 0; c < width; c++)
            {
                var site = Site(m, augmentation, width, height, r, c, fillMode);
                var destination = output.Slice((r * width + c) * 4, 4);
                if (site.Outside)
                {
                    destination.Fill(fillValue);
                    continue;
                }
                for (int k = 0; k < 4; k++)
                    destination[k] = (byte)Math.Clamp(Math.Round(site.Blend(pixels[site.P00 * 4 + k], pixels[site.P01 * 4 + k], pixels[site.P10 * 4 + k], pixels[site.P11 * 4 + k])), 0, 255);
            }
        }
    }

    /// <summary>
    /// Transforms planar float images in place — <paramref name="channels"/> planes of <paramref name="height"/> ×
    /// <paramref name="width"/> values (channels first, as networks take them) — with the same sampling as the byte
    /// version, without rounding. <paramref name="scratch"/> holds one image.
    /// </summary>
    public static void ApplyPlanar(Span<float> planes, int channels, int height, int width, AffineAugmentation augmentation, FillMode fillMode, float fillValue, Span<float> scratch)
    {
        int plane = height * width;
        if (planes.Length != channels * plane || scratch.Length < planes.Length)
            throw new ArgumentException($"Expected {channels}×{height}×{width} values and as much scratch, got {planes.Length} and {scratch.Length}.");
        planes.CopyTo(scratch);
        var m = augmentation.OutputToInput(height, width);
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                var site = Site(m, augmentation, width, height, r, c, fillMode);
                for (int k = 0; k < channels; k++)
                {
                    var source = scratch.Slice(k * plane, plane);
                    planes[k * plane + r * width + c] = site.Outside ? fillValue
                        : (float)site.Blend(source[site.P00], source[site.P01], source[site.P10], source[site.P11]);
                }
            }
        }
    }

    /// <summary>Where output pixel (r, c) samples the input: four neighbours (pixel indices) and the bilinear weights.</summary>
    private readonly record struct SampleSite(bool Outside, int P00, int P01, int P10, int P11, double RowFraction, double ColumnFraction)
    {
        public double Blend(double v00, double v01, double v10, double v11)
        {
            double top = v00 + ColumnFraction * (v01 - v00);
            double bottom = v10 + ColumnFraction * (v11 - v10);
            return top + RowFraction * (bottom - top);
        }
    }

    private static SampleSite Site(double[] m, AffineAugmentation augmentation, int width, int height, int r, int c, FillMode mode)
    {
        const double Edge = 1e-9; // tolerance for points that land on the edge through rounding
        // Flips act on the resampled image: output row r of the flipped image is row r' of the resampled one.
        int sourceRow = augmentation.FlipVertical ? height - 1 - r : r;
        int sourceColumn = augmentation.FlipHorizontal ? width - 1 - c : c;
        double row = m[0] * sourceRow + m[1] * sourceColumn + m[2];
        double column = m[3] * sourceRow + m[4] * sourceColumn + m[5];
        if (mode == FillMode.Constant && (row < -Edge || row > height - 1 + Edge || column < -Edge || column > width - 1 + Edge))
            return new SampleSite(true, 0, 0, 0, 0, 0, 0);
        double r0 = Math.Floor(row), c0 = Math.Floor(column);
        int ra = Index((long)r0, height, mode), rb = Index((long)r0 + 1, height, mode);
        int ca = Index((long)c0, width, mode), cb = Index((long)c0 + 1, width, mode);
        return new SampleSite(false, ra * width + ca, ra * width + cb, rb * width + ca, rb * width + cb, row - r0, column - c0);
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
