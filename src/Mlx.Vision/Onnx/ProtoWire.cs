namespace Mlx.Vision.Onnx;

/// <summary>
/// The few protobuf wire-format operations needed to edit an ONNX model in place (ONNX files are
/// protobuf messages): walk a message's fields and write fields back, unchanged or replaced. Nothing
/// is decoded beyond the fields being edited, so unknown and future ONNX fields survive untouched.
/// </summary>
internal static class ProtoWire
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    /// <summary>One field of a message: its number, wire type, payload and the bytes it occupies (key included).</summary>
    public readonly record struct Field(int Number, int WireType, ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Whole, ulong Value);

    /// <summary>The fields of a message in file order.</summary>
    public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        int position = 0;
        while (position < message.Length)
        {
            int start = position;
            ulong key = ReadVarint(message.Span, ref position);
            int number = (int)(key >> 3), wireType = (int)(key & 7);
            ulong value = 0;
            ReadOnlyMemory<byte> payload;
            switch (wireType)
            {
                case Varint:
                    int valueStart = position;
                    value = ReadVarint(message.Span, ref position);
                    payload = message[valueStart..position];
                    break;
                case Fixed64:
                    payload = Slice(message, ref position, 8);
                    break;
                case LengthDelimited:
                    ulong length = ReadVarint(message.Span, ref position);
                    payload = Slice(message, ref position, checked((int)length));
                    break;
                case Fixed32:
                    payload = Slice(message, ref position, 4);
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType} at byte {start}: the file is not a valid ONNX model.");
            }
            yield return new Field(number, wireType, payload, message[start..position], value);
        }
    }

    /// <summary>Writes a length-delimited field (a sub-message, string or bytes).</summary>
    public static void WriteBytes(Stream output, int number, ReadOnlySpan<byte> payload)
    {
        WriteVarint(output, ((ulong)number << 3) | LengthDelimited);
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    /// <summary>Writes a varint field.</summary>
    public static void WriteVarintField(Stream output, int number, ulong value)
    {
        WriteVarint(output, ((ulong)number << 3) | Varint);
        WriteVarint(output, value);
    }

    /// <summary>A string field's text.</summary>
    public static string Text(Field field) => System.Text.Encoding.UTF8.GetString(field.Payload.Span);

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> message, ref int position, int length)
    {
        if (length < 0 || position + length > message.Length)
            throw new InvalidDataException("A protobuf field runs past the end of its message: the ONNX file is truncated or corrupt.");
        var slice = message.Slice(position, length);
        position += length;
        return slice;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
                throw new InvalidDataException("A protobuf varint runs past the end of its message: the ONNX file is truncated or corrupt.");
            byte b = bytes[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return result;
        }
        throw new InvalidDataException("A protobuf varint is longer than 10 bytes: the ONNX file is corrupt.");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
