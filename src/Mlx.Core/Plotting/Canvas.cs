namespace Mlx.Core.Plotting;

/// <summary>An RGB raster with the few drawing operations charts need, saved as PNG (no imaging library, so no
/// SkiaSharp version to clash with ML.NET's image transforms).</summary>
public sealed class Canvas
{
    private readonly byte[] _rgb;

    /// <summary>A white canvas.</summary>
    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
        Array.Fill(_rgb, (byte)255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Sets one pixel (ignored outside the canvas).</summary>
    public void Set(int x, int y, (byte R, byte G, byte B) color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            return;
        int i = (y * Width + x) * 3;
        (_rgb[i], _rgb[i + 1], _rgb[i + 2]) = color;
    }

    /// <summary>Fills a rectangle.</summary>
    public void Fill(int x, int y, int width, int height, (byte R, byte G, byte B) color)
    {
        for (int j = y; j < y + height; j++)
            for (int i = x; i < x + width; i++)
                Set(i, j, color);
    }

    /// <summary>Draws a line <paramref name="thickness"/> pixels wide (Bresenham, repeated across the width).</summary>
    public void Line(double x0, double y0, double x1, double y1, (byte R, byte G, byte B) color, int thickness = 1)
    {
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)));
        for (int s = 0; s <= steps; s++)
        {
            double t = steps == 0 ? 0 : (double)s / steps;
            int x = (int)Math.Round(x0 + t * (x1 - x0)), y = (int)Math.Round(y0 + t * (y1 - y0));
            for (int d = 0; d < thickness; d++)
            {
                Set(x, y + d - thickness / 2, color);
                Set(x + d - thickness / 2, y, color);
            }
        }
    }

    /// <summary>Writes text with the 5×7 font, <paramref name="scale"/> pixels per font pixel; returns the width drawn.</summary>
    public int Text(int x, int y, string text, (byte R, byte G, byte B) color, int scale = 1)
    {
        for (int k = 0; k < text.Length; k++)
        {
            for (int gy = 0; gy < BitmapFont.Height; gy++)
                for (int gx = 0; gx < BitmapFont.Width; gx++)
                    if (BitmapFont.Ink(text[k], gx, gy))
                        Fill(x + (k * (BitmapFont.Width + 1) + gx) * scale, y + gy * scale, scale, scale, color);
        }
        return TextWidth(text, scale);
    }

    /// <summary>The width <see cref="Text"/> takes.</summary>
    public static int TextWidth(string text, int scale = 1) => text.Length * (BitmapFont.Width + 1) * scale;

    /// <summary>Saves as PNG.</summary>
    public void SavePng(string path) => PngWriter.Write(path, _rgb, Width, Height);
}
