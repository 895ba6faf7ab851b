using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mlx.Vision.Onnx.Import;

/// <summary>Converts ONNX tensors (initializers, Constant values) and element types to TorchSharp.</summary>
internal static class OnnxTensors
{
    /// <summary>A TorchSharp tensor with the ONNX tensor's values (raw little-endian data or the typed fields).</summary>
    /// <param name="proto">The tensor.</param>
    /// <param name="zerosIfEmpty">A float tensor without values becomes zeros of its shape (a graph whose weights were stripped and are loaded afterwards).</param>
    public static Tensor ToTorch(TensorProto proto, bool zerosIfEmpty = false)
    {
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
            throw new NotSupportedException($"ONNX tensor '{proto.Name}' keeps its data in an external file; re-save the model with its weights inside (onnx.save(model, path, save_as_external_data=False)).");
        long[] shape = proto.Dims.ToArray();
        var type = (DataType)proto.DataType;
        bool raw = !proto.RawData.IsEmpty;
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (type == DataType.Float && !raw && proto.FloatData.Count == 0 && count > 0)
        {
            return zerosIfEmpty
                ? zeros(shape)
                : throw new InvalidDataException($"ONNX tensor '{proto.Name}' declares {count} values but holds none: the file is damaged or was saved without its weights.");
        }
        return type switch
        {
            DataType.Float => tensor(raw ? Raw<float>(proto.RawData) : proto.FloatData.ToArray(), shape),
            DataType.Double => tensor(raw ? Raw<double>(proto.RawData) : proto.DoubleData.ToArray(), shape),
            DataType.Int64 => tensor(raw ? Raw<long>(proto.RawData) : proto.Int64Data.ToArray(), shape),
            DataType.Int32 => tensor(raw ? Raw<int>(proto.RawData) : proto.Int32Data.ToArray(), shape),
            DataType.Bool => tensor(raw ? Raw<byte>(proto.RawData).Select(v => v != 0).ToArray() : proto.Int32Data.Select(v => v != 0).ToArray(), shape),
            _ => throw new NotSupportedException($"ONNX tensor '{proto.Name}' has element type {type}; imported graphs support float, double, int64, int32 and bool tensors."),
        };
    }

    // ONNX stores raw data little-endian, as every platform .NET and libtorch run on here.
    private static T[] Raw<T>(ByteString bytes) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray();

    /// <summary>The TorchSharp element type of an ONNX <c>Cast</c> target.</summary>
    public static ScalarType ScalarTypeOf(long onnxType, string node) => (DataType)onnxType switch
    {
        DataType.Float => ScalarType.Float32,
        DataType.Double => ScalarType.Float64,
        DataType.Float16 => ScalarType.Float16,
        DataType.Int64 => ScalarType.Int64,
        DataType.Int32 => ScalarType.Int32,
        DataType.Int16 => ScalarType.Int16,
        DataType.Int8 => ScalarType.Int8,
        DataType.Uint8 => ScalarType.Byte,
        DataType.Bool => ScalarType.Bool,
        var other => throw new NotSupportedException($"ONNX node '{node}' casts to {other}, which the TorchSharp import does not support."),
    };

    /// <summary>The values of a small integer tensor (shapes, axes, pads, indices) as longs.</summary>
    public static long[] Longs(Tensor t)
    {
        using var asLong = t.to_type(ScalarType.Int64);
        using var flat = asLong.flatten().contiguous();
        return flat.data<long>().ToArray();
    }
}
