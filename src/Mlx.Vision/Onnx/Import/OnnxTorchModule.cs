using System.Text.RegularExpressions;
using Mlx.Estimators.Runtime;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>
/// An ONNX graph run with TorchSharp operators as a trainable module: float initializers become parameters,
/// BatchNormalization's running mean and variance buffers, and the graph is executed node by node from the image input
/// up to the chosen tensor (nodes after it are not run). Works under <c>torch.no_grad()</c> for features and with
/// autograd for fine-tuning and gradient-based visualisation. Create it with <see cref="OnnxBackbone.ToTorchModule"/>.
/// </summary>
/// <remarks>
/// In training mode (<c>module.train()</c>) a BatchNormalization node normalises with batch statistics and updates its
/// running ones only while its scale is trainable; a frozen one (<c>requires_grad = false</c>, as
/// <see cref="Freeze"/> leaves it) keeps using its running statistics, as Keras does for frozen layers. Dropout nodes
/// drop units only in training mode.
/// </remarks>
public sealed partial class OnnxTorchModule : nn.Module<Tensor, Tensor>
{
    private readonly OnnxNode[] _nodes;
    private readonly OnnxOperator[] _operators;
    private readonly string _input;
    private readonly string _output;
    private readonly Dictionary<string, Tensor> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parameterNames = new(StringComparer.Ordinal);
    private readonly int[] _normalizationAfter;
    private readonly bool[] _inPlace;

    internal OnnxTorchModule(ModelProto model, string source, string inputName, string outputName) : base("OnnxTorchModule")
    {
        TorchRuntime.EnsureAvailable();
        var graph = model.Graph;
        _input = inputName;
        _output = outputName;
        if (graph.Input.All(i => i.Name != inputName))
            throw new ArgumentException($"ONNX model '{source}' has no input named '{inputName}'. Its inputs are: {string.Join(", ", graph.Input.Select(i => i.Name))}.", nameof(inputName));
        // The input's declared dimensions (−1 where symbolic, e.g. the batch), to check what forward is given.
        _inputDimensions = graph.Input.First(i => i.Name == inputName).Type?.TensorType?.Shape?.Dim
            .Select(d => d.ValueCase == global::Onnx.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray() ?? [];
        _source = source;
        int opset = (int)(model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 1);
        var needed = NodesNeeded(graph, source, inputName, outputName).Select(n => new OnnxNode(graph.Node[n], n, opset)).ToList();
        CheckOperators(needed, source);
        _nodes = needed.Where(n => n.OpType != "Constant").ToArray();
        _operators = _nodes.Select(Operator).ToArray();
        for (int i = 0; i < _nodes.Length; i++)
            foreach (var name in _nodes[i].Proto.Input.Where(n => n.Length > 0))
                _lastUse[name] = i;
        _normalizationAfter = FoldableNormalizations(_nodes, outputName);
        _inPlace = _nodes.Select((n, i) => n.OpType is "Relu" or "Add" && n.Proto.Input[0] is var first && first != inputName && first != outputName
            && _lastUse.GetValueOrDefault(first) == i && n.Proto.Input.Skip(1).All(other => other != first)
            && _nodes.Take(i).Any(before => before.Proto.Output.Contains(first))).ToArray();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        StoreInitializers(graph, inputName, taken, model.MetadataProps.Any(p => p.Key == OnnxGraphEditor.WeightsStrippedKey));
        // Constant nodes are evaluated once; their values are stored like integer initializers.
        foreach (var constant in needed.Where(n => n.OpType == "Constant"))
        {
            var value = Operator(constant)(constant, [], false)[0];
            register_buffer(UniqueName(constant.Proto.Output[0], taken), value, persistent: false);
            _stored[constant.Proto.Output[0]] = value;
        }
        var computed = new HashSet<string>(_nodes.SelectMany(n => n.Proto.Output), StringComparer.Ordinal) { inputName };
        var missing = _nodes.SelectMany(n => n.Proto.Input).Where(n => n.Length > 0 && !computed.Contains(n) && !_stored.ContainsKey(n)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"ONNX model '{source}' reads tensors on the way to '{outputName}' that are neither computed, stored nor the image input '{inputName}': " +
                $"{string.Join(", ", missing.Take(8))}. A graph with several data inputs cannot be imported as a backbone.");
        }
    }

    private static OnnxOperator Operator(OnnxNode node) => OnnxOperators.TryGet(node.OpType, out var op) ? op : throw node.Unsupported("unsupported operator.");

    // For each Conv node whose only reader is a BatchNormalization node, that node's index (else −1).
    private static int[] FoldableNormalizations(OnnxNode[] nodes, string outputName)
    {
        var readers = nodes.SelectMany((n, i) => n.Proto.Input.Select(name => (name, i))).ToLookup(r => r.name, r => r.i);
        return nodes.Select(node =>
        {
            if (node.OpType != "Conv" || node.Proto.Output[0] == outputName)
                return -1;
            var reading = readers[node.Proto.Output[0]].ToList();
            return reading.Count == 1 && nodes[reading[0]].OpType == "BatchNormalization" && nodes[reading[0]].Proto.Input[0] == node.Proto.Output[0] ? reading[0] : -1;
        }).ToArray();
    }

    // The nodes the output depends on, in graph order (ONNX lists nodes topologically); nothing before the input.
    private static List<int> NodesNeeded(GraphProto graph, string source, string inputName, string outputName)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Node.Count; i++)
            foreach (var output in graph.Node[i].Output.Where(o => o.Length > 0))
                producer[output] = i;
        if (outputName != inputName && !producer.ContainsKey(outputName))
            throw new ArgumentException($"ONNX model '{source}' has no tensor named '{outputName}'. Its last tensors are: {string.Join(", ", graph.Node.TakeLast(8).SelectMany(n => n.Output))}.", nameof(outputName));
        var needed = new HashSet<int>();
        var pending = new Stack<string>([outputName]);
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (name == inputName || !producer.TryGetValue(name, out int node) || !needed.Add(node))
                continue;
            foreach (var input in graph.Node[node].Input.Where(i => i.Length > 0))
                pending.Push(input);
        }
        return needed.Order().ToList();
    }

    // Every unsupported operator at once, with counts, before anything runs.
    private static void CheckOperators(IEnumerable<OnnxNode> nodes, string source)
    {
        var unsupported = nodes
            .Where(n => n.Proto.Domain is not ("" or "ai.onnx") || !OnnxOperators.TryGet(n.OpType, out _))
            .GroupBy(n => n.Proto.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Proto.Domain}:{n.OpType}")
            .Select(g => $"{g.Key} ({g.Count()} node{(g.Count() == 1 ? "" : "s")}, first '{g.First().Name}')")
            .ToList();
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException($"ONNX model '{source}' uses operators the TorchSharp import does not run: {string.Join("; ", unsupported)}. " +
                $"Supported: {string.Join(", ", OnnxOperators.Supported)}. Cut the backbone below them (outputName) or re-export the model with supported operators " +
                "(e.g. torch.onnx.export with opset 13–17 and do_constant_folding=True).");
        }
    }

    /// <summary>The graph input this module takes (NCHW float images, without any preprocessing).</summary>
    public string InputName => _input;

    /// <summary>The tensor this module returns.</summary>
    public string OutputName => _output;

    /// <summary>The names of the nodes the module runs, in execution order (the cut points for <see cref="Freeze"/> and visualisation).</summary>
    public IReadOnlyList<string> NodeNames => _nodes.Select(n => n.Name).ToArray();

    /// <summary>The first output tensor of each of <see cref="NodeNames"/> (what visualisation and <c>cutAt</c> take), in the same order.</summary>
    public IReadOnlyList<string> NodeOutputs => _nodes.Select(n => n.Proto.Output[0]).ToArray();

    /// <summary>The op types of <see cref="NodeNames"/>, in the same order.</summary>
    public IReadOnlyList<string> NodeTypes => _nodes.Select(n => n.OpType).ToArray();

    /// <summary>The default-domain opset of the imported graph.</summary>
    internal int Opset => _nodes.Length > 0 ? _nodes[0].Opset : 13;

    /// <summary>The nodes the module runs (Constant nodes excluded: their values are in <see cref="StoredTensors"/>), for ONNX export.</summary>
    internal IEnumerable<NodeProto> Nodes => _nodes.Select(n => n.Proto);

    /// <summary>The current values of the graph's stored tensors (initializers, possibly fine-tuned, and Constant outputs), by ONNX name.</summary>
    internal IReadOnlyDictionary<string, Tensor> StoredTensors => _stored;

    /// <summary>The module's name for the parameter or buffer that holds ONNX initializer <paramref name="initializer"/>.</summary>
    public string ParameterName(string initializer) => _parameterNames.TryGetValue(initializer, out var name)
        ? name
        : throw new ArgumentException($"The imported graph has no stored initializer '{initializer}'.", nameof(initializer));

    /// <summary>
    /// Freezes the parameters of every node up to and including node <paramref name="lastFrozenNode"/> (in
    /// <see cref="NodeNames"/> order) and unfreezes the rest: the Keras fine-tuning recipe's "unfreeze the top
    /// layers". Frozen BatchNormalization nodes also keep their running statistics in training mode.
    /// </summary>
    public void Freeze(string? lastFrozenNode)
    {
        int last = lastFrozenNode is null ? _nodes.Length - 1 : Array.FindIndex(_nodes, n => n.Name == lastFrozenNode);
        if (last < 0)
            throw new ArgumentException($"No node named '{lastFrozenNode}'. The nodes are: {string.Join(", ", NodeNames.Take(12))}, … (see NodeNames).", nameof(lastFrozenNode));
        var frozen = new HashSet<string>(_nodes.Take(last + 1).SelectMany(n => n.Proto.Input), StringComparer.Ordinal);
        foreach (var (onnxName, name) in _parameterNames)
        {
            if (get_parameter(name) is { } p)
                p.requires_grad = !frozen.Contains(onnxName);
        }
    }

    /// <summary>Runs the graph from the image batch <paramref name="input"/> up to <see cref="OutputName"/>.</summary>
    public override Tensor forward(Tensor input) => Run(input, null);

    /// <summary>
    /// Runs the graph and also returns the tensors named in <paramref name="taps"/> (intermediate activations, e.g. for
    /// Grad-CAM), keyed by name; they stay attached to the autograd graph.
    /// </summary>
    public (Tensor Output, IReadOnlyDictionary<string, Tensor> Taps) ForwardWithTaps(Tensor input, IReadOnlyCollection<string> taps)
    {
        var tapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var output = Run(input, (taps, tapped));
        return (output, tapped);
    }

    private readonly long[] _inputDimensions;
    private readonly string _source;

    // libtorch's own message for a wrong image size names a convolution's weight, not the input the caller gave.
    private void CheckInput(Tensor input)
    {
        if (_inputDimensions.Length == 0)
            return;
        bool fits = input.dim() == _inputDimensions.Length
            && _inputDimensions.Select((d, k) => d < 0 || d == input.shape[k]).All(same => same);
        if (!fits)
        {
            string Show(IEnumerable<long> dims) => "(" + string.Join(", ", dims.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
            throw new ArgumentException($"ONNX model '{_source}' takes its input '{_input}' as {Show(_inputDimensions)}, but the tensor given has shape {Show(input.shape)}. " +
                "Give a batch of the images it was trained on: resize them and use its channel count (3 for colour).", nameof(input));
        }
    }

    private Tensor Run(Tensor input, (IReadOnlyCollection<string> Names, Dictionary<string, Tensor> Values)? taps)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        // Image batches run channels-last (same values, NHWC strides): oneDNN's convolutions then need no reorder
        // around each call (the ResNet18 forward: 0.58–0.64× → 0.66–0.73× of ONNX Runtime before BN folding, measured).
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [_input] = input.dim() == 4 ? Estimators.ChannelsLastInput.Of(input) : input };
        var folded = new bool[_nodes.Length];
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (folded[i])
                continue;
            var node = _nodes[i];
            var inputs = Inputs(node, values);
            Tensor[] outputs;
            int normalization = _normalizationAfter[i];
            if (normalization >= 0 && Inputs(_nodes[normalization], values, skipFirst: true) is var statistics && !NormalizationTrains(statistics)
                && taps?.Names.Contains(node.Proto.Output[0]) != true)
            {
                // Convolution then inference-mode batch norm: one convolution with the normalisation folded into its
                // weights (exact, and differentiable in every weight); the batch-norm node is skipped.
                outputs = ConvolutionOperators.ConvWithFoldedNormalization(node, inputs, _nodes[normalization], statistics);
                folded[normalization] = true;
                values[_nodes[normalization].Proto.Output[0]] = outputs[0];
            }
            else if (_inPlace[i] && !is_grad_enabled() && taps?.Names.Contains(node.Proto.Input[0]) != true
                     && (node.OpType == "Relu" || inputs[0]!.shape.SequenceEqual(inputs[1]!.shape) && inputs[0]!.dtype == inputs[1]!.dtype))
            {
                // Scoring: a Relu or Add whose first input dies here writes into it instead of a fresh tensor (one large
                // allocation and pass over fresh pages less per node; the value is the same).
                values.Remove(node.Proto.Input[0], out var target);
                outputs = [node.OpType == "Relu" ? target!.relu_() : target!.add_(inputs[1]!)];
                values[node.Proto.Output[0]] = outputs[0];
            }
            else
            {
                bool training = this.training && (node.OpType != "BatchNormalization" || NormalizationTrains(inputs));
                outputs = _operators[i](node, inputs, training);
                for (int k = 0; k < outputs.Length && k < node.Proto.Output.Count; k++)
                    values[node.Proto.Output[k]] = outputs[k];
            }
            // Intermediate values are released after their last reader (autograd keeps what backward needs).
            foreach (var name in node.Proto.Input)
            {
                if (name.Length > 0 && name != _input && name != _output && _lastUse.GetValueOrDefault(name) == i && taps?.Names.Contains(name) != true
                    && values.Remove(name, out var done))
                    done.Dispose();
            }
        }
        if (taps is { } t)
        {
            foreach (var name in t.Names)
                t.Values[name] = values.TryGetValue(name, out var v) ? v.MoveToOuterDisposeScope()
                    : throw new ArgumentException($"Tensor '{name}' is not computed on the way to '{_output}'.", nameof(taps));
        }
        var result = values[_output];
        return (ReferenceEquals(result, input) ? result.alias() : result).MoveToOuterDisposeScope();
    }

    private Tensor?[] Inputs(OnnxNode node, Dictionary<string, Tensor> values, bool skipFirst = false)
    {
        var names = node.Proto.Input;
        var inputs = new Tensor?[names.Count];
        for (int k = skipFirst ? 1 : 0; k < inputs.Length; k++)
            inputs[k] = names[k].Length == 0 ? null : values.TryGetValue(names[k], out var v) ? v : _stored[names[k]];
        return inputs;
    }

    // A batch-norm node uses batch statistics only in training mode and while its scale is trainable (Keras' rule for frozen layers).
    private bool NormalizationTrains(Tensor?[] inputs) => training && inputs[1] is Parameter { requires_grad: true };

    private void StoreInitializers(GraphProto graph, string inputName, HashSet<string> taken, bool weightsStripped)
    {
        // BatchNormalization's running statistics are buffers, every other float initializer a trainable parameter.
        var statistics = new HashSet<string>(_nodes.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Proto.Input.Skip(3)), StringComparer.Ordinal);
        var used = new HashSet<string>(_nodes.SelectMany(n => n.Proto.Input), StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer.Where(i => i.Name != inputName && used.Contains(i.Name)))
        {
            var value = OnnxTensors.ToTorch(initializer, zerosIfEmpty: weightsStripped);
            string name = UniqueName(initializer.Name, taken);
            _parameterNames[initializer.Name] = name;
            if (value.is_floating_point() && !statistics.Contains(initializer.Name))
            {
                var parameter = new Parameter(value, requires_grad: true);
                register_parameter(name, parameter);
                _stored[initializer.Name] = parameter;
            }
            else
            {
                register_buffer(name, value, persistent: value.is_floating_point());
                _stored[initializer.Name] = value;
            }
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NotIdentifier();

    private static string UniqueName(string onnxName, HashSet<string> taken)
    {
        string name = NotIdentifier().Replace(onnxName, "_");
        if (name.Length == 0 || char.IsDigit(name[0]))
            name = "t_" + name;
        string unique = name;
        for (int k = 2; !taken.Add(unique); k++)
            unique = $"{name}_{k}";
        return unique;
    }
}
