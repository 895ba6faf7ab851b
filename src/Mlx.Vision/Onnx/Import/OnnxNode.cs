using Onnx;
using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>
/// One ONNX node as an operator sees it: its attributes (with the ONNX defaults the caller gives), the opset the
/// model was exported with, and whether the module runs in training mode.
/// </summary>
internal sealed class OnnxNode
{
    private readonly Dictionary<string, AttributeProto> _attributes;

    public OnnxNode(NodeProto proto, int index, int opset)
    {
        Proto = proto;
        Opset = opset;
        Name = string.IsNullOrEmpty(proto.Name) ? $"{proto.OpType} #{index} (output '{proto.Output.FirstOrDefault()}')" : proto.Name;
        _attributes = proto.Attribute.ToDictionary(a => a.Name);
    }

    public NodeProto Proto { get; }

    /// <summary>The node's name, or its type, position and first output when the exporter left it unnamed.</summary>
    public string Name { get; }

    public string OpType => Proto.OpType;

    /// <summary>The default-domain opset the model imports (operators changed their inputs and defaults over versions).</summary>
    public int Opset { get; }

    public long Int(string name, long fallback) => _attributes.TryGetValue(name, out var a) ? a.I : fallback;

    public float Float(string name, float fallback) => _attributes.TryGetValue(name, out var a) ? a.F : fallback;

    public string Text(string name, string fallback) => _attributes.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => _attributes.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;

    public float[]? Floats(string name) => _attributes.TryGetValue(name, out var a) ? a.Floats.ToArray() : null;

    public bool Has(string name) => _attributes.ContainsKey(name);

    public TensorProto? TensorAttribute(string name) => _attributes.TryGetValue(name, out var a) ? a.T : null;

    /// <summary>An error naming the node, its type and the problem.</summary>
    public NotSupportedException Unsupported(string problem) => new($"ONNX node '{Name}' ({OpType}): {problem}");
}

/// <summary>
/// Runs one ONNX operator with TorchSharp: the node, its inputs (null for an omitted optional input) and whether
/// the node runs in training mode; returns its outputs in order.
/// </summary>
internal delegate Tensor[] OnnxOperator(OnnxNode node, Tensor?[] inputs, bool training);
