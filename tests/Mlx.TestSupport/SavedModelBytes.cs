using System.IO.Compression;
using Microsoft.ML;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>Damages saved models on purpose: finds a byte pattern inside the zip's entries and replaces it.</summary>
public static class SavedModelBytes
{
    /// <summary>The model saved as a zip, in memory.</summary>
    public static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Loads a damaged model and returns the damaged-model error (ML.NET invokes loaders by reflection, so the error
    /// may arrive wrapped in a TargetInvocationException; what a user reads is the innermost message).
    /// </summary>
    public static InvalidDataException LoadFails(MLContext ml, byte[] zip)
    {
        Exception? thrown = null;
        try
        {
            ml.Model.Load(new MemoryStream(zip), out _);
        }
        catch (Exception e)
        {
            thrown = e;
        }
        Assert.NotNull(thrown);
        for (var e = thrown; e != null; e = e.InnerException)
        {
            if (e is InvalidDataException damaged)
                return damaged;
        }
        Assert.Fail($"expected a damaged-model error, got {thrown}");
        return null!;
    }

    /// <summary>A copy of the zip in which the first occurrence of <paramref name="find"/> in any entry becomes <paramref name="replacement"/>.</summary>
    public static byte[] Replace(byte[] zip, byte[] find, byte[] replacement) => Edit(zip, (name, bytes) =>
    {
        int at = bytes.AsSpan().IndexOf(find);
        if (at < 0)
            return null;
        replacement.CopyTo(bytes, at);
        return bytes;
    });

    /// <summary>
    /// A copy of the zip whose entries pass through <paramref name="edit"/> (entry name, bytes) until one returns the
    /// edited bytes; the test fails when no entry was edited.
    /// </summary>
    public static byte[] Edit(byte[] zip, Func<string, byte[], byte[]?> edit)
    {
        var entries = new List<(string Name, byte[] Bytes)>();
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            foreach (var entry in archive.Entries)
            {
                using var s = entry.Open();
                using var copy = new MemoryStream();
                s.CopyTo(copy);
                entries.Add((entry.FullName, copy.ToArray()));
            }
        }
        bool edited = false;
        for (int i = 0; i < entries.Count && !edited; i++)
        {
            if (edit(entries[i].Name, (byte[])entries[i].Bytes.Clone()) is byte[] changed)
            {
                entries[i] = (entries[i].Name, changed);
                edited = true;
            }
        }
        Assert.True(edited, "no entry of the saved model matched the edit");
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var s = archive.CreateEntry(name).Open();
                s.Write(bytes);
            }
        }
        return output.ToArray();
    }

    /// <summary>Every entry of the zip: name and bytes.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        var entries = new List<(string, byte[])>();
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            using var s = entry.Open();
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            entries.Add((entry.FullName, copy.ToArray()));
        }
        return entries;
    }

    /// <summary>
    /// The model block of an entry written by ML.NET's ModelSaveContext (its 256-byte header holds the block's offset
    /// and size, and the loader signature at 0x50), or null when the entry has no such header (a binary stream).
    /// </summary>
    public static (long Offset, long Length, string LoaderSignature)? ModelBlock(byte[] entry)
    {
        const ulong headerSignature = 0x4C45444F4D004C4DUL; // "ML\0MODEL"
        if (entry.Length < 0x100 || BitConverter.ToUInt64(entry, 0) != headerSignature)
            return null;
        string loader = System.Text.Encoding.ASCII.GetString(entry, 0x50, 24).TrimEnd('\0');
        return (BitConverter.ToInt64(entry, 0x10), BitConverter.ToInt64(entry, 0x18), loader);
    }

    /// <summary>A copy of the zip whose entry <paramref name="name"/> becomes <paramref name="bytes"/>.</summary>
    public static byte[] WithEntry(byte[] zip, string name, byte[] bytes) => Edit(zip, (n, _) => n == name ? bytes : null);
}
