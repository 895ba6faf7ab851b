using System.IO.Compression;
using System.Text;
using Microsoft.ML;

namespace Mlx.Core.Persistence;

/// <summary>
/// Loads a model saved with <c>mlContext.Model.Save</c> as <c>mlContext.Model.Load</c> does, but a damaged file fails
/// with one <see cref="InvalidDataException"/> that names the file, the damaged entry and its component — also where
/// ML.NET's own framing is damaged (an entry cut short, an altered header), which ML.NET reports as "One of the
/// identified items was in an invalid format" before any component's loader runs.
/// </summary>
public static class SavedModel
{
    private const ulong HeaderSignature = 0x4C45444F4D004C4DUL;
    private const ulong TailSignature = 0x4D4C004D4F44454CUL;
    private const int HeaderBytes = 0x100;

    /// <summary>Loads the model at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file there.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or not a saved model; the message says where.</exception>
    public static ITransformer Load(MLContext ml, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(ml);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No model at '{path}'.", path);
        return Load(ml, File.ReadAllBytes(path), $"'{path}'", out inputSchema);
    }

    /// <summary>Loads a model from the bytes of its zip.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="zip">The saved model.</param>
    /// <param name="source">What the bytes are, for messages (e.g. the file name).</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    public static ITransformer Load(MLContext ml, byte[] zip, string source, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(zip);
        try
        {
            return ml.Model.Load(new MemoryStream(zip, writable: false), out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A component's own diagnosis (a checksum, a size) is the most precise; ML.NET wraps it in reflection errors.
            for (var inner = e; inner is not null; inner = inner.InnerException)
            {
                if (inner is InvalidDataException damaged && damaged.Message.StartsWith("The saved model is damaged", StringComparison.Ordinal))
                    throw new InvalidDataException($"{source}: {damaged.Message}", e);
            }
            CheckFraming(zip, source, e);
            var reason = e;
            while (reason.InnerException is not null)
                reason = reason.InnerException;
            throw new InvalidDataException($"{source} could not be loaded as a model: {reason.Message} " +
                "It is damaged, not a model saved by mlContext.Model.Save, or uses components this program does not reference.", e);
        }
    }

    /// <summary>
    /// Checks the zip and the framing ML.NET writes around every component's entry (256-byte header, sizes, tail):
    /// an <see cref="InvalidDataException"/> names the first damaged entry and its component; nothing when all hold.
    /// </summary>
    public static void CheckFraming(byte[] zip, string source, Exception? loadError = null)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is not a model zip (damaged, or another kind of file): {e.Message}", loadError ?? e);
        }
        using (archive)
        {
            foreach (var entry in archive.Entries.Where(e => e.Name == "Model.key"))
            {
                byte[] bytes;
                try
                {
                    using var stream = entry.Open();
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    bytes = copy.ToArray();
                }
                catch (InvalidDataException e)
                {
                    throw Damaged(source, entry.FullName, null, $"the zip cannot decompress it ({e.Message})", loadError ?? e);
                }
                if (Problem(bytes) is { } problem)
                    throw Damaged(source, entry.FullName, bytes.Length >= HeaderBytes ? LoaderSignature(bytes) : null, problem, loadError);
            }
        }
    }

    // What is wrong with an entry's framing, or null.
    private static string? Problem(byte[] bytes)
    {
        if (bytes.Length < HeaderBytes)
            return $"it holds {bytes.Length} bytes, fewer than the {HeaderBytes} of its header: it was cut short";
        if (BitConverter.ToUInt64(bytes, 0) != HeaderSignature)
            return "its header does not begin with ML.NET's model signature: the header was altered";
        long fpModel = BitConverter.ToInt64(bytes, 0x10), cbModel = BitConverter.ToInt64(bytes, 0x18);
        long fpTail = BitConverter.ToInt64(bytes, 0x80), fpLim = BitConverter.ToInt64(bytes, 0x88);
        if (fpLim != bytes.Length)
            return fpLim > bytes.Length
                ? $"its header says {fpLim} bytes but the entry holds {bytes.Length}: it was cut short"
                : $"its header says {fpLim} bytes but the entry holds {bytes.Length}: the header was altered or bytes were appended";
        if (fpTail != fpLim - sizeof(ulong) || BitConverter.ToUInt64(bytes, (int)fpTail) != TailSignature)
            return "its tail signature is missing where the header says: the entry was altered";
        if (fpModel != HeaderBytes || cbModel < 0 || fpModel + cbModel > fpTail)
            return $"its model block ({cbModel} bytes at {fpModel}) does not fit in the entry: the header was altered";
        return null;
    }

    private static string LoaderSignature(byte[] bytes) =>
        new(Encoding.ASCII.GetString(bytes, 0x50, 24).TrimEnd('\0').Where(c => c is >= ' ' and <= '~').ToArray());

    private static InvalidDataException Damaged(string source, string entry, string? component, string problem, Exception? inner) =>
        new($"{source} is damaged: entry '{entry}'{(string.IsNullOrEmpty(component) ? "" : $" (component {component})")}: {problem}. " +
            "Restore the file from a copy or save the model again.", inner);
}
