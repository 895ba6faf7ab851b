namespace Mlx.Vision.Onnx;

/// <summary>
/// Prepares an ONNX model for batched feature extraction by editing its protobuf: the batch (first)
/// dimension of the chosen input and outputs becomes symbolic ("N"), stale intermediate shape hints
/// (<c>value_info</c>, which exporters often write with the batch fixed at 1) are dropped for ONNX
/// Runtime to infer again, and an intermediate tensor can be exposed as a graph output (to extract
/// features below the classifier). Weights, nodes and every other field are copied byte for byte.
/// </summary>
internal static class OnnxGraphEditor
{
    // ONNX field numbers (onnx.proto3).
    private const int ModelGraph = 7;
    private const int GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    private const int ValueInfoName = 1, ValueInfoType = 2;
    private const int TypeTensor = 1;
    private const int TensorElementType = 1, TensorShape = 2;
    private const int ShapeDim = 1;
    private const int DimParam = 2;
    private const int FloatElementType = 1;

    /// <summary>Returns the edited model bytes.</summary>
    /// <param name="model">The ONNX file's bytes.</param>
    /// <param name="inputName">The data input whose batch dimension becomes symbolic.</param>
    /// <param name="outputName">The output to read: a graph output (batch made symbolic) or any intermediate tensor (added as a float output).</param>
    public static byte[] PrepareForBatching(byte[] model, string inputName, string outputName)
    {
        using var result = new MemoryStream(model.Length + 256);
        bool sawGraph = false;
        foreach (var field in ProtoWire.Fields(model))
        {
            if (field.Number == ModelGraph && field.WireType == ProtoWire.LengthDelimited)
            {
                sawGraph = true;
                ProtoWire.WriteBytes(result, ModelGraph, EditGraph(field.Payload, inputName, outputName));
            }
            else
            {
                result.Write(field.Whole.Span);
            }
        }
        if (!sawGraph)
            throw new InvalidDataException("The file has no ONNX graph: it is not an ONNX model.");
        return result.ToArray();
    }

    private static byte[] EditGraph(ReadOnlyMemory<byte> graph, string inputName, string outputName)
    {
        using var result = new MemoryStream(graph.Length + 256);
        bool outputIsGraphOutput = false;
        foreach (var field in ProtoWire.Fields(graph))
        {
            switch (field.Number)
            {
                case GraphInput when NameOf(field.Payload) == inputName:
                    ProtoWire.WriteBytes(result, GraphInput, WithSymbolicBatch(field.Payload));
                    break;
                case GraphOutput when NameOf(field.Payload) == outputName:
                    outputIsGraphOutput = true;
                    ProtoWire.WriteBytes(result, GraphOutput, WithSymbolicBatch(field.Payload));
                    break;
                case GraphValueInfo:
                    break; // dropped: shape hints with a fixed batch would contradict the symbolic one
                default:
                    result.Write(field.Whole.Span);
                    break;
            }
        }
        if (!outputIsGraphOutput)
            ProtoWire.WriteBytes(result, GraphOutput, FloatTensorValueInfo(outputName));
        return result.ToArray();
    }

    /// <summary>The names of every tensor the graph's nodes produce, in node order (for messages).</summary>
    public static IReadOnlyList<string> TensorNames(byte[] model)
    {
        const int GraphNode = 1, NodeOutput = 2;
        var names = new List<string>();
        foreach (var graph in ProtoWire.Fields(model).Where(f => f.Number == ModelGraph && f.WireType == ProtoWire.LengthDelimited))
        {
            foreach (var node in ProtoWire.Fields(graph.Payload).Where(f => f.Number == GraphNode && f.WireType == ProtoWire.LengthDelimited))
                names.AddRange(ProtoWire.Fields(node.Payload).Where(f => f.Number == NodeOutput).Select(ProtoWire.Text));
        }
        return names;
    }

    private static string? NameOf(ReadOnlyMemory<byte> valueInfo) =>
        ProtoWire.Fields(valueInfo).Where(f => f.Number == ValueInfoName).Select(ProtoWire.Text).FirstOrDefault();

    // ValueInfoProto -> TypeProto -> Tensor -> TensorShapeProto -> first Dimension := dim_param "N".
    private static byte[] WithSymbolicBatch(ReadOnlyMemory<byte> valueInfo) =>
        Rewrite(valueInfo, ValueInfoType, type =>
            Rewrite(type, TypeTensor, tensor =>
                Rewrite(tensor, TensorShape, ReplaceFirstDimension)));

    private static byte[] ReplaceFirstDimension(ReadOnlyMemory<byte> shape)
    {
        using var result = new MemoryStream(shape.Length + 8);
        bool first = true;
        foreach (var field in ProtoWire.Fields(shape))
        {
            if (first && field.Number == ShapeDim)
            {
                first = false;
                using var dimension = new MemoryStream();
                ProtoWire.WriteBytes(dimension, DimParam, "N"u8);
                ProtoWire.WriteBytes(result, ShapeDim, dimension.ToArray());
            }
            else
            {
                result.Write(field.Whole.Span);
            }
        }
        return result.ToArray();
    }

    private static byte[] Rewrite(ReadOnlyMemory<byte> message, int number, Func<ReadOnlyMemory<byte>, byte[]> edit)
    {
        using var result = new MemoryStream(message.Length + 8);
        foreach (var field in ProtoWire.Fields(message))
        {
            if (field.Number == number && field.WireType == ProtoWire.LengthDelimited)
                ProtoWire.WriteBytes(result, number, edit(field.Payload));
            else
                result.Write(field.Whole.Span);
        }
        return result.ToArray();
    }

    private static byte[] FloatTensorValueInfo(string name)
    {
        using var tensor = new MemoryStream();
        ProtoWire.WriteVarintField(tensor, TensorElementType, FloatElementType);
        using var type = new MemoryStream();
        ProtoWire.WriteBytes(type, TypeTensor, tensor.ToArray());
        using var valueInfo = new MemoryStream();
        ProtoWire.WriteBytes(valueInfo, ValueInfoName, System.Text.Encoding.UTF8.GetBytes(name));
        ProtoWire.WriteBytes(valueInfo, ValueInfoType, type.ToArray());
        return valueInfo.ToArray();
    }
}
