using Google.Protobuf;
using Onnx;

namespace Mlx.Vision.Onnx;

/// <summary>
/// Prepares an ONNX model for batched feature extraction by editing its protobuf (OnnxSharp's generated
/// <see cref="ModelProto"/> on Google.Protobuf): the batch (first) dimension of the chosen input and outputs becomes
/// symbolic ("N"), stale intermediate shape hints (<c>value_info</c>, which exporters often write with the batch fixed
/// at 1) are dropped for ONNX Runtime to infer again, and an intermediate tensor can be exposed as a graph output (to
/// extract features below the classifier). Everything else, fields unknown to the schema included, is kept.
/// </summary>
internal static class OnnxGraphEditor
{
    /// <summary>Parses ONNX bytes, with a clear error when they are not an ONNX model.</summary>
    public static ModelProto Parse(byte[] model, string source)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{source}' ({model.Length:N0} bytes) is not an ONNX model: {e.Message} " +
                "Check that the file is complete (not truncated by a download) and was exported as ONNX.", e);
        }
        if (proto.Graph is null)
            throw new InvalidDataException($"'{source}' has no ONNX graph: it is not an ONNX model.");
        return proto;
    }

    /// <summary>Returns the edited model bytes.</summary>
    /// <param name="model">The ONNX file's bytes.</param>
    /// <param name="inputName">The data input whose batch dimension becomes symbolic.</param>
    /// <param name="outputName">The output to read: a graph output (batch made symbolic) or any intermediate tensor (added as a float output).</param>
    public static byte[] PrepareForBatching(byte[] model, string inputName, string outputName)
    {
        var proto = Parse(model, "model");
        var graph = proto.Graph;
        foreach (var input in graph.Input.Where(i => i.Name == inputName))
            MakeBatchSymbolic(input);
        var output = graph.Output.FirstOrDefault(o => o.Name == outputName);
        if (output != null)
            MakeBatchSymbolic(output);
        else
            graph.Output.Add(new ValueInfoProto { Name = outputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        graph.ValueInfo.Clear(); // shape hints with a fixed batch would contradict the symbolic one
        return proto.ToByteArray();
    }

    /// <summary>The metadata key that marks a graph whose float weights were removed (they are stored elsewhere).</summary>
    public const string WeightsStrippedKey = "mlx.weights_stripped";

    /// <summary>
    /// The model without the values of its float initializers (names, types and shapes kept), marked with
    /// <see cref="WeightsStrippedKey"/>: a fine-tuned network's saved form, whose weights are saved with the network's own.
    /// </summary>
    public static byte[] StripWeights(byte[] model)
    {
        var proto = Parse(model, "model");
        foreach (var initializer in proto.Graph.Initializer.Where(i => i.DataType == (int)TensorProto.Types.DataType.Float))
        {
            initializer.RawData = ByteString.Empty;
            initializer.FloatData.Clear();
        }
        proto.MetadataProps.Add(new StringStringEntryProto { Key = WeightsStrippedKey, Value = "true" });
        return proto.ToByteArray();
    }

    /// <summary>The names of every tensor the graph's nodes produce, in node order (for messages).</summary>
    public static IReadOnlyList<string> TensorNames(byte[] model) =>
        Parse(model, "model").Graph.Node.SelectMany(n => n.Output).ToList();

    private static void MakeBatchSymbolic(ValueInfoProto value)
    {
        var dimensions = value.Type?.TensorType?.Shape?.Dim;
        if (dimensions is { Count: > 0 })
            dimensions[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
    }
}
