using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Mlx.Core.Errors;

namespace Mlx.Core.Persistence;

/// <summary>
/// The saved state of an Mlx component, sealed by a SHA-256 checksum that is verified before anything of it is parsed:
/// a byte altered anywhere in it, or an entry cut short, fails to load with one <see cref="InvalidDataException"/>
/// naming the component, instead of loading and scoring other numbers.
/// </summary>
/// <remarks>
/// <para>Layout inside the component's ML.NET entry, where the model block begins: the marker "MLXS" (uint32), the
/// payload's length (int64), its SHA-256 (32 bytes), the payload. Everything the component saves goes in the payload,
/// including a copy of its column names (ML.NET keeps those in its string table, which the checksum cannot cover:
/// the copy is compared with them). ML.NET's own parts of the entry (its header, version and, for one-to-one
/// transformers, the column pairs) follow the seal's framing rules of ML.NET itself.</para>
/// <para>Formats saved before a component adopted the seal (its <c>sealedSince</c> version) still load: their state is
/// read where it lies, and every count is checked against the bytes left before anything is allocated.</para>
/// </remarks>
internal sealed class SavedState
{
    /// <summary>"MLXS" read as a little-endian uint32.</summary>
    private const uint Marker = 0x53584C4D;

    private const int FramingBytes = sizeof(uint) + sizeof(long) + 32;

    private readonly long _end;

    private SavedState(string component, BinaryReader reader, long end, bool isSealed)
    {
        Component = component;
        Reader = reader;
        _end = end;
        IsSealed = isSealed;
    }

    /// <summary>The component's loader signature (what errors name).</summary>
    public string Component { get; }

    /// <summary>Reads the state: the verified payload, or for an older format the entry itself.</summary>
    public BinaryReader Reader { get; }

    /// <summary>Whether the state carried a checksum (and passed it).</summary>
    public bool IsSealed { get; }

    /// <summary>Bytes of the state not read yet.</summary>
    public long BytesLeft => _end - Reader.BaseStream.Position;

    /// <summary>Writes the sealed state at the model block's current position (call it first in <c>SaveModel</c>).</summary>
    /// <param name="ctx">The component's save context.</param>
    /// <param name="write">Writes the payload.</param>
    public static void Save(ModelSaveContext ctx, Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            write(writer);
        var payload = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        ctx.Writer.Write(Marker);
        ctx.Writer.Write((long)payload.Length);
        ctx.Writer.Write(SHA256.HashData(payload));
        ctx.Writer.Write(payload);
    }

    /// <summary>
    /// Opens the component's state (verifying the seal of formats from <paramref name="sealedSince"/> on), runs
    /// <paramref name="load"/> on it and checks that it read all of a sealed payload. Every failure — a checksum that
    /// does not match, a size that does not fit, a value the loader rejects, a read past the end — becomes one
    /// <see cref="InvalidDataException"/> naming the component.
    /// </summary>
    /// <param name="ctx">The component's load context, at the start of its model block.</param>
    /// <param name="component">The loader signature.</param>
    /// <param name="sealedSince">The first format version that carries the seal.</param>
    /// <param name="load">Builds the component from the state.</param>
    public static T Load<T>(ModelLoadContext ctx, string component, uint sealedSince, Func<SavedState, T> load) =>
        MlxError.LoadingModel(component, () =>
        {
            var state = Open(ctx, component, sealedSince);
            var result = load(state);
            state.End();
            return result;
        });

    private static SavedState Open(ModelLoadContext ctx, string component, uint sealedSince)
    {
        var stream = ctx.Reader.BaseStream;
        long end = ctx.FpMin + ctx.Header.FpModel + ctx.Header.CbModel;
        long left = end - stream.Position;
        bool sealedFormat = ctx.Header.ModelVerWritten >= sealedSince;
        uint? marker = left >= sizeof(uint) ? Peek(ctx.Reader) : null;
        if (!sealedFormat)
        {
            // An older format has no marker where the state begins: finding one means the header's version was altered.
            if (marker == Marker)
                throw MlxError.DamagedModel(component, "its format version", $"the header says format 0x{ctx.Header.ModelVerWritten:X8}, which has no checksum, but the state carries one: the header was altered");
            return new SavedState(component, ctx.Reader, end, isSealed: false);
        }
        if (left < FramingBytes || marker != Marker)
        {
            throw MlxError.DamagedModel(component, "its sealed state", left < FramingBytes
                ? $"the entry holds {Math.Max(0, left)} bytes where the sealed state needs at least {FramingBytes}: it was cut short"
                : $"the marker 'MLXS' is missing where the state begins (found 0x{marker:X8})");
        }
        ctx.Reader.ReadUInt32();
        long length = ctx.Reader.ReadInt64();
        if (length < 0 || length > left - FramingBytes)
            throw MlxError.DamagedModel(component, "its sealed state", $"the state says it holds {length} bytes but the entry has {left - FramingBytes} left: it was cut short or altered");
        var savedHash = ctx.Reader.ReadBytes(32);
        var payload = ctx.Reader.ReadBytes((int)length);
        MlxError.CheckSha256(component, "its saved state", payload, savedHash);
        return new SavedState(component, new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8), payload.Length, isSealed: true);
    }

    private static uint Peek(BinaryReader reader)
    {
        long at = reader.BaseStream.Position;
        uint value = reader.ReadUInt32();
        reader.BaseStream.Position = at;
        return value;
    }

    /// <summary>Writes the column pairs into a payload (see <see cref="CheckColumns"/>).</summary>
    public static void WriteColumns(BinaryWriter writer, IReadOnlyList<(string Output, string Input)> columns)
    {
        writer.Write(columns.Count);
        foreach (var (output, input) in columns)
        {
            writer.Write(output);
            writer.Write(input);
        }
    }

    /// <summary>
    /// Sealed state: reads the payload's copy of the column pairs and compares it with what ML.NET read from its string
    /// table (which the checksum does not cover). Older formats: nothing to compare.
    /// </summary>
    public void CheckColumns(IReadOnlyList<(string Output, string Input)> columns)
    {
        if (!IsSealed)
            return;
        int count = ReadCount("column pairs", 2);
        if (count != columns.Count)
            throw MlxError.DamagedModel(Component, "its column names", $"the state names {count} column pairs but ML.NET's string table {columns.Count}: the table was altered");
        for (int i = 0; i < count; i++)
        {
            string output = Reader.ReadString(), input = Reader.ReadString();
            if (output != columns[i].Output || input != columns[i].Input)
                throw MlxError.DamagedModel(Component, "its column names", $"the state names '{output}' ← '{input}' but ML.NET's string table '{columns[i].Output}' ← '{columns[i].Input}': the table was altered");
        }
    }

    /// <summary>
    /// Reads a count of items of <paramref name="bytesEach"/> bytes or more that follow it, refusing a negative count
    /// or one the bytes left cannot hold (so that a damaged count never allocates gigabytes or loops for hours).
    /// </summary>
    public int ReadCount(string entry, int bytesEach) => CheckCount(Reader.ReadInt32(), entry, bytesEach);

    /// <summary>Checks a count read elsewhere the way <see cref="ReadCount"/> does.</summary>
    public int CheckCount(long count, string entry, int bytesEach) => BoundedReads.Check(count, BytesLeft, bytesEach, Component, entry);

    /// <summary>Reads <paramref name="count"/> doubles, after checking that the state holds them.</summary>
    public double[] ReadDoubles(int count, string entry) => BoundedReads.Items(Reader, CheckCount(count, entry, sizeof(double)), r => r.ReadDouble());

    /// <summary>Reads <paramref name="count"/> int32s, after checking that the state holds them.</summary>
    public int[] ReadInts(int count, string entry) => BoundedReads.Items(Reader, CheckCount(count, entry, sizeof(int)), r => r.ReadInt32());

    /// <summary>A sealed payload must be read to its end: bytes left over mean the loader and the saver disagree.</summary>
    private void End()
    {
        if (IsSealed && BytesLeft != 0)
            throw MlxError.DamagedModel(Component, "its saved state", $"{BytesLeft} bytes are left after the state was read: the payload does not match its format");
    }
}
