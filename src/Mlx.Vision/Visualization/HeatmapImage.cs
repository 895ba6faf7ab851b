using SkiaSharp;

namespace Mlx.Vision.Visualization;

/// <summary>
/// Draws a <see cref="ClassActivationMap"/> as a PNG: coloured with ScottPlot's Jet colormap (the book's), scaled to the
/// image with bilinear sampling and laid over it with SkiaSharp at the given opacity (the book's 0.4).
/// </summary>
public static class HeatmapImage
{
    /// <summary>Writes the heatmap over the image file at <paramref name="imagePath"/> to <paramref name="pngPath"/>, at the image's size.</summary>
    /// <exception cref="InvalidDataException">The image cannot be decoded.</exception>
    public static void Save(ClassActivationMap map, string imagePath, string pngPath, float opacity = 0.4f)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(opacity, 0f);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opacity, 1f);
        if (!File.Exists(imagePath))
            throw new FileNotFoundException($"The image '{Path.GetFullPath(imagePath)}' to draw the heatmap over does not exist. Check the path (relative paths are resolved from {Environment.CurrentDirectory}).", imagePath);
        using var image = SKBitmap.Decode(imagePath)
            ?? throw new InvalidDataException($"'{imagePath}' is not an image SkiaSharp can decode (PNG, JPEG, BMP, GIF, WebP). Check the file.");
        using var surface = SKSurface.Create(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.DrawBitmap(image, 0, 0);
        DrawHeatmap(surface.Canvas, map, image.Width, image.Height, opacity);
        Write(surface, pngPath);
    }

    /// <summary>Writes the coloured heatmap alone, scaled to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static void SaveHeatmap(ClassActivationMap map, string pngPath, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        DrawHeatmap(surface.Canvas, map, width, height, 1f);
        Write(surface, pngPath);
    }

    private static void DrawHeatmap(SKCanvas canvas, ClassActivationMap map, int width, int height, float opacity)
    {
        var colormap = new ScottPlot.Colormaps.Jet();
        using var small = new SKBitmap(map.Width, map.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < map.Height; y++)
        {
            for (int x = 0; x < map.Width; x++)
            {
                var color = colormap.GetColor(map[y, x]);
                small.SetPixel(x, y, new SKColor(color.R, color.G, color.B));
            }
        }
        using var paint = new SKPaint { Color = SKColors.White.WithAlpha((byte)Math.Round(opacity * 255)) };
        using var picture = SKImage.FromBitmap(small);
        canvas.DrawImage(picture, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear), paint);
    }

    private static void Write(SKSurface surface, string pngPath)
    {
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(pngPath);
        png.SaveTo(file);
    }
}
