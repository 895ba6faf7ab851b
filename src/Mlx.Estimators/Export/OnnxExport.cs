using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mlx.Estimators;

/// <summary>
/// Builds the ONNX graph of a trained network, layer by layer: each <see cref="Layer"/> takes the modules it built (in
/// build order), writes their weights as initializers and appends its nodes after <see cref="Current"/>, the tensor
/// flowing through the stack, whose per-example shape is <see cref="Shape"/> (channels first, as in the network).
/// </summary>
internal sealed class OnnxExport
{
    private readonly Queue<nn.Module<Tensor, Tensor>> _modules;
    private int _counter;

    public OnnxExport(IEnumerable<nn.Module<Tensor, Tensor>> modules, string input, int[] shape)
    {
        _modules = new Queue<nn.Module<Tensor, Tensor>>(modules);
        Current = input;
        Shape = shape;
    }

    /// <summary>The graph being built (opset 13).</summary>
    public GraphProto Graph { get; } = new() { Name = "mlx_network" };

    /// <summary>The default-domain opset of the exported model: 13, or higher when a layer brings a graph of a later opset.</summary>
    public long Opset { get; set; } = 13;

    /// <summary>The tensor the next layer reads.</summary>
    public string Current { get; set; }

    /// <summary>Its shape per example (no batch axis).</summary>
    public int[] Shape { get; set; }

    /// <summary>
    /// Set by an Embedding that masks zeros: each row's count of non-zero ids (int32, batch), the <c>sequence_lens</c> of
    /// the recurrent operators after it.
    /// </summary>
    public string? SequenceLengths { get; set; }

    /// <summary>The layer's name prefix for its initializers and nodes (set by the exporter per layer).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>The next module the network built (the layer that built it takes it).</summary>
    public T Take<T>() where T : nn.Module<Tensor, Tensor> =>
        _modules.Dequeue() as T ?? throw new InvalidOperationException($"The network's modules do not follow its layers (expected {typeof(T).Name}).");

    /// <summary>Takes the next module, whatever its type (activations, dropout).</summary>
    public nn.Module<Tensor, Tensor> Take() => _modules.Dequeue();

    /// <summary>Adds a float initializer with the tensor's values and shape; returns its name.</summary>
    public string Initializer(string name, Tensor value)
    {
        using var single = value.detach().to_type(ScalarType.Float32);
        Tensor(Prefix + name, single);
        return Prefix + name;
    }

    /// <summary>Adds an initializer of any element type TorchSharp and ONNX share (float, double, int64, int32, bool) with the given full name.</summary>
    public void Tensor(string fullName, Tensor value)
    {
        using var contiguous = value.detach().contiguous();
        var (type, bytes) = contiguous.dtype switch
        {
            ScalarType.Float32 => (DataType.Float, System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<float>().ToArray().AsSpan()).ToArray()),
            ScalarType.Float64 => (DataType.Double, System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<double>().ToArray().AsSpan()).ToArray()),
            ScalarType.Int64 => (DataType.Int64, System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<long>().ToArray().AsSpan()).ToArray()),
            ScalarType.Int32 => (DataType.Int32, System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<int>().ToArray().AsSpan()).ToArray()),
            ScalarType.Bool => (DataType.Bool, contiguous.data<bool>().ToArray().Select(b => (byte)(b ? 1 : 0)).ToArray()),
            var other => throw new NotSupportedException($"Tensor '{fullName}' has element type {other}, which the ONNX export does not write."),
        };
        var proto = new TensorProto { Name = fullName, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.AddRange(value.shape);
        Graph.Initializer.Add(proto);
    }

    /// <summary>Adds an int64 initializer (shapes); returns its name.</summary>
    public string Longs(string name, params long[] values)
    {
        var proto = new TensorProto { Name = $"{Prefix}{name}", DataType = (int)DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        Graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Appends a node reading <paramref name="inputs"/>; returns its (single) output's name.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        string output = $"{Prefix}{opType}_{_counter++}";
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Appends a node reading <see cref="Current"/> (and <paramref name="more"/>) and makes its output current.</summary>
    public void Apply(string opType, string[] more, params AttributeProto[] attributes) =>
        Current = Node(opType, [Current, .. more], attributes);

    /// <summary>
    /// A MaxPool or AveragePool node over 1 or 2 spatial axes. Keras "same" pooling never counts padded pixels: ONNX's
    /// MaxPool ignores pads, AveragePool gets count_include_pad = 0.
    /// </summary>
    public void Pool(PoolKind kind, long[] kernel, long[] strides, long[] pads)
    {
        var attributes = new List<AttributeProto> { Ints("kernel_shape", kernel), Ints("strides", strides), Ints("pads", pads) };
        if (kind == PoolKind.Average)
            attributes.Add(Int("count_include_pad", 0));
        Apply(kind == PoolKind.Max ? "MaxPool" : "AveragePool", [], attributes.ToArray());
    }

    /// <summary>The activation module a layer added after its weights (none for Linear), as ONNX nodes.</summary>
    public void Activation(Activation activation)
    {
        if (activation == Estimators.Activation.Linear)
            return;
        Take();
        switch (activation)
        {
            case Estimators.Activation.Relu: Apply("Relu", []); break;
            case Estimators.Activation.Sigmoid: Apply("Sigmoid", []); break;
            case Estimators.Activation.Tanh: Apply("Tanh", []); break;
            case Estimators.Activation.Elu: Apply("Elu", [], Float("alpha", 1)); break;
            case Estimators.Activation.Selu: Apply("Selu", []); break;
            case Estimators.Activation.Softplus: Apply("Softplus", []); break;
            case Estimators.Activation.Gelu:
                // Exact GELU (PyTorch's default) in opset 13: x · (1 + erf(x / √2)) / 2.
                string x = Current;
                string erf = Node("Erf", [Node("Div", [x, Scalar("sqrt2", MathF.Sqrt(2))])]);
                string onePlus = Node("Add", [erf, Scalar("one", 1)]);
                Current = Node("Div", [Node("Mul", [x, onePlus]), Scalar("two", 2)]);
                break;
            default: throw new NotSupportedException($"Activation {activation} has no ONNX export.");
        }
    }

    private string Scalar(string name, float value)
    {
        var proto = new TensorProto { Name = $"{Prefix}{name}_{_counter++}", DataType = (int)DataType.Float };
        proto.FloatData.Add(value);
        Graph.Initializer.Add(proto);
        return proto.Name;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>ONNX pads (all begins, then all ends) from the network's F.pad order (last axis first: left, right[, top, bottom]).</summary>
    public static long[] OnnxPads(long[]? torchPads, int spatialAxes)
    {
        var pads = new long[2 * spatialAxes];
        if (torchPads is null)
            return pads;
        for (int i = 0; i < spatialAxes; i++)
        {
            int axis = spatialAxes - 1 - i;          // torch pair i pads spatial axis (spatialAxes − 1 − i)
            pads[axis] = torchPads[2 * i];
            pads[spatialAxes + axis] = torchPads[2 * i + 1];
        }
        return pads;
    }
}
