using Mlx.Core.Errors;

namespace Mlx.Core.Persistence;

/// <summary>
/// Array reads for saved state that check the count against the bytes left before allocating or reading. ML.NET's own
/// <c>ReadFloatArray</c>/<c>ReadIntArray</c> read a damaged count's worth of bytes in a loop that never ends at the end
/// of the stream (its read returns 0 and the loop asks again): a model saved before the checksum, with one byte altered,
/// made loading spin forever.
/// </summary>
internal static class BoundedReads
{
    /// <summary>Reads an int32 count, then that many floats.</summary>
    public static float[] ReadFloatArrayBounded(this BinaryReader reader, string component, string entry) =>
        Items(reader, Count(reader, sizeof(float), component, entry), r => r.ReadSingle());

    /// <summary>Reads an int32 count, then that many int32s.</summary>
    public static int[] ReadIntArrayBounded(this BinaryReader reader, string component, string entry) =>
        Items(reader, Count(reader, sizeof(int), component, entry), r => r.ReadInt32());

    /// <summary>Reads <paramref name="count"/> items one by one (a short stream ends in <see cref="EndOfStreamException"/>, never a loop).</summary>
    public static T[] Items<T>(BinaryReader reader, int count, Func<BinaryReader, T> read)
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
            values[i] = read(reader);
        return values;
    }

    /// <summary>Reads an int32 count and checks that the stream holds that many items of <paramref name="bytesEach"/> bytes.</summary>
    public static int Count(BinaryReader reader, int bytesEach, string component, string entry)
    {
        int count = reader.ReadInt32();
        var stream = reader.BaseStream;
        return Check(count, stream.CanSeek ? stream.Length - stream.Position : long.MaxValue, bytesEach, component, entry);
    }

    /// <summary>
    /// A count of items of <paramref name="bytesEach"/> bytes or more, refused when negative or when the
    /// <paramref name="bytesLeft"/> cannot hold them (so that a damaged count never allocates gigabytes or loops for hours).
    /// </summary>
    public static int Check(long count, long bytesLeft, int bytesEach, string component, string entry)
    {
        if (count < 0 || count > bytesLeft / Math.Max(1, bytesEach))
            throw MlxError.DamagedModel(component, entry, $"the count is {count}, but {bytesLeft} bytes are left for items of {bytesEach} bytes or more");
        return (int)count;
    }
}
