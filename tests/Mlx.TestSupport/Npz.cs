using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Mlx.TestSupport;

/// <summary>Reads float32/float64 arrays from a NumPy .npz file (a zip of .npy files), for golden fixtures.</summary>
public static partial class Npz
{
    /// <summary>An array's shape and values (as float64).</summary>
    public sealed record Array(int[] Shape, double[] Values)
    {
        /// <summary>The values as float32.</summary>
        public float[] Singles => Values.Select(v => (float)v).ToArray();
    }

    /// <summary>Reads the array stored as <paramref name="name"/> (without ".npy").</summary>
    public static Array Read(string path, string name)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.GetEntry(name + ".npy") ?? throw new KeyNotFoundException($"{path} has no array '{name}'.");
        using var stream = new MemoryStream();
        using (var s = entry.Open())
            s.CopyTo(stream);
        var bytes = stream.ToArray();
        // .npy: magic (6), version (2), header length (2 for v1, 4 for v2+), ASCII header dict, data.
        if (!bytes.AsSpan(0, 6).SequenceEqual("\x93NUMPY"u8.ToArray().AsSpan()) && bytes[0] != 0x93)
            throw new InvalidDataException($"{name} in {path} is not a .npy array.");
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToInt32(bytes, 8);
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        var descr = DescrPattern().Match(header).Groups[1].Value;
        if (header.Contains("'fortran_order': True"))
            throw new NotSupportedException("Fortran-ordered arrays are not supported.");
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = new double[count];
        var data = bytes.AsSpan(dataStart);
        switch (descr)
        {
            case "<f4":
                for (int i = 0; i < count; i++)
                    values[i] = BitConverter.ToSingle(data.Slice(4 * i, 4));
                break;
            case "<f8":
                for (int i = 0; i < count; i++)
                    values[i] = BitConverter.ToDouble(data.Slice(8 * i, 8));
                break;
            default:
                throw new NotSupportedException($"dtype {descr} is not supported.");
        }
        return new Array(shape, values);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
