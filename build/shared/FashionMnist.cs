using System.Buffers.Binary;
using System.IO.Compression;

namespace Mlx.Shared;

/// <summary>
/// Reads the bundled Fashion-MNIST (examples/data/fashion_mnist, gzipped idx files: big-endian magic, count, rows,
/// columns, then one byte per pixel; labels: magic, count, one byte each). Compiled into the programs that use it
/// (linked source).
/// </summary>
internal static class FashionMnist
{
    /// <summary>Side of an image in pixels.</summary>
    public const int Side = 28;

    /// <summary>The first <paramref name="take"/> images (all when null) as pixels scaled to [0, 1], and their labels 0-9.</summary>
    public static (float[][] Pixels, byte[] Labels) Read(string imagesPath, string labelsPath, int? take = null)
    {
        var images = Decompress(imagesPath);
        var labels = Decompress(labelsPath);
        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4)), pixels = Side * Side;
        count = Math.Min(count, take ?? count);
        var x = new float[count][];
        for (int i = 0; i < count; i++)
        {
            x[i] = new float[pixels];
            var source = images.AsSpan(16 + i * pixels, pixels);
            for (int p = 0; p < pixels; p++)
                x[i][p] = source[p] / 255f;
        }
        return (x, labels.AsSpan(8, count).ToArray());
    }

    private static byte[] Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
