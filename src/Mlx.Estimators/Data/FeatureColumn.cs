using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.Estimators;

/// <summary>
/// The network's feature column: a Single or known-size vector of Single; a known-size vector of token ids (key-typed,
/// as <c>VectorizeText</c>'s Int mode writes, where the raw key is the id and 0 the padding, or Int32/UInt32/Int64) for
/// an Embedding-first network, read as Single (exact below 2²⁴); or an ML.NET image column (from <c>LoadImages</c> →
/// <c>ResizeImages</c>), read as three planes R, G, B of values in [0, 1] — exactly what
/// <c>ExtractPixels(scaleImage: 1f / 255)</c> writes — so the network sees (3, height, width) examples. The same reader
/// serves training and scoring.
/// </summary>
internal static class FeatureColumn
{
    /// <summary>Values per example: the vector size, or 3 × height × width for an image column; 0 for variable-length token ids.</summary>
    public static int Size(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name);
        if (column?.Type is ImageDataViewType image)
            return 3 * checked(KnownSize(image, name).Height * KnownSize(image, name).Width);
        if (column?.Type is VectorDataViewType { ItemType: var item } ids && IsTokenId(item))
        {
            return ids.IsKnownSize ? ids.Size : 0;
        }
        return SlotColumn.Resolve(schema, name, "NeuralNetworkOptions.FeatureColumnName").SlotCount;
    }

    /// <summary>Whether the column holds integer token ids (keys or integers) rather than Single features.</summary>
    public static bool HoldsTokenIds(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name)?.Type is VectorDataViewType { ItemType: var item } && IsTokenId(item);

    /// <summary>Whether the column holds token ids of varying length (VectorizeText's Int output without a SequenceLength).</summary>
    public static bool IsVariableLength(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name)?.Type is VectorDataViewType { IsKnownSize: false, ItemType: var item } && IsTokenId(item);

    /// <summary>The longest row of a variable-length token-id column (one pass over that column), or a clear error when every row is empty.</summary>
    public static int LongestSequence(IDataView data, string name)
    {
        var column = data.Schema[name];
        using var cursor = data.GetRowCursor([column]);
        var read = SequenceReader(cursor, column);
        int longest = 0;
        while (cursor.MoveNext())
            longest = Math.Max(longest, read().Length);
        return longest > 0 ? longest : throw MlxError.CannotFit($"column '{name}'", "every sequence is empty (a length of 0)",
            "Check the text column and the vectorizer (e.g. a standardisation that removes every character).");
    }

    /// <summary>A per-row reader of a token-id column as Single ids (one SIMD conversion per row into a reused buffer), each row at its own length.</summary>
    public static Func<ReadOnlySpan<float>> SequenceReader(DataViewRow row, DataViewSchema.Column column)
    {
        var item = ((VectorDataViewType)column.Type).ItemType;
        return item.RawType switch
        {
            var t when t == typeof(uint) => Ragged<uint>(row, column),
            var t when t == typeof(int) => Ragged<int>(row, column),
            var t when t == typeof(long) => Ragged<long>(row, column),
            var t when t == typeof(ulong) => Ragged<ulong>(row, column),
            var t when t == typeof(ushort) => Ragged<ushort>(row, column),
            var t when t == typeof(byte) => Ragged<byte>(row, column),
            _ => throw MlxError.WrongColumnType(column.Name, "token ids", $"{column.Type}", "Use VectorizeText's Int mode or an Int32 vector."),
        };
    }

    private static Func<ReadOnlySpan<float>> Ragged<T>(DataViewRow row, DataViewSchema.Column column) where T : struct, System.Numerics.INumberBase<T>
    {
        var getter = row.GetGetter<VBuffer<T>>(column);
        var buffer = default(VBuffer<T>);
        var dense = Array.Empty<T>();
        var values = Array.Empty<float>();
        return () =>
        {
            getter(ref buffer);
            ReadOnlySpan<T> ids = buffer.GetValues();
            if (!buffer.IsDense)
            {
                if (dense.Length < buffer.Length)
                    dense = new T[buffer.Length];
                buffer.CopyTo(dense);
                ids = dense.AsSpan(0, buffer.Length);
            }
            if (values.Length < ids.Length)
                values = new float[Math.Max(ids.Length, 2 * values.Length)];
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(ids, values.AsSpan(0, ids.Length));
            return values.AsSpan(0, ids.Length);
        };
    }

    private static bool IsTokenId(DataViewType item) =>
        item is KeyDataViewType || item == NumberDataViewType.Int32 || item == NumberDataViewType.UInt32 || item == NumberDataViewType.Int64;

    /// <summary>(3, height, width) for an image column, else null.</summary>
    public static int[]? ImageShape(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name)?.Type is ImageDataViewType image ? [3, KnownSize(image, name).Height, KnownSize(image, name).Width] : null;

    /// <summary>A per-row reader of the column as a dense span of <paramref name="size"/> values (no allocation per row).</summary>
    public static Func<ReadOnlySpan<float>> Reader(DataViewRow row, DataViewSchema.Column column, int size)
    {
        if (column.Type is VectorDataViewType { ItemType: var idType } ids && IsTokenId(idType))
        {
            var read = SequenceReader(row, column);
            if (ids.IsKnownSize)
                return read; // every row holds `size` ids
            // Variable-length ids padded with 0 at the end to the length the network was built for.
            var padded = new float[size];
            return () =>
            {
                var sequence = read();
                if (sequence.Length > size)
                    throw MlxError.BadValue(MlxError.Where(column.Name, cursorPosition: row.Position), sequence.Length, $"the sequence is longer than the {size} steps read here", "Pad or truncate the sequences to one length (VectorizeText's SequenceLength).");
                sequence.CopyTo(padded);
                padded.AsSpan(sequence.Length).Clear();
                return padded;
            };
        }
        if (column.Type is not ImageDataViewType image)
            return DenseRowReader.Create<float>(row, column, column.Type is VectorDataViewType, size);
        var getter = row.GetGetter<MLImage>(column);
        var planes = new float[size];
        MLImage picture = null!;
        int height = image.Height, width = image.Width;
        return () =>
        {
            getter(ref picture);
            if (picture is null)
                throw new InvalidOperationException($"{MlxError.Where(column.Name, cursorPosition: row.Position)}: the image is missing. Check that every path exists and is a readable image file.");
            if (picture.Width != width || picture.Height != height)
                throw MlxError.WrongColumnType(column.Name, $"images of {width}×{height}", $"an image of {picture.Width}×{picture.Height}", "Resize every image with mlContext.Transforms.ResizeImages.");
            Planes(picture, planes);
            return planes;
        };
    }

    /// <summary>Writes an image's R, G and B planes scaled to [0, 1] (alpha dropped), as ExtractPixels with scaleImage 1/255.</summary>
    public static void Planes(MLImage image, Span<float> destination)
    {
        var pixels = image.Pixels;
        int plane = image.Width * image.Height;
        (int r, int g, int b) = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => (2, 1, 0),
            MLPixelFormat.Rgba32 => (0, 1, 2),
            _ => throw new ArgumentException($"Unsupported pixel format {image.PixelFormat}: networks read 32-bit BGRA or RGBA images."),
        };
        const float Scale = 1f / 255;
        for (int p = 0; p < plane; p++)
        {
            int i = p * 4;
            destination[p] = pixels[i + r] * Scale;
            destination[plane + p] = pixels[i + g] * Scale;
            destination[2 * plane + p] = pixels[i + b] * Scale;
        }
    }

    private static (int Height, int Width) KnownSize(ImageDataViewType image, string name) =>
        image.Height > 0 && image.Width > 0 ? (image.Height, image.Width)
            : throw MlxError.WrongColumnType(name, "images of a known size", "images of any size", $"Resize them first: mlContext.Transforms.ResizeImages(\"{name}\", width, height).");
}
