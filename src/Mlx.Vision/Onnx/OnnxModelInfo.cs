using Microsoft.ML.OnnxRuntime;

namespace Mlx.Vision.Onnx;

/// <summary>
/// What an ONNX model file declares: its inputs and outputs with element types and shapes. Loading
/// checks that the file exists and is a valid ONNX graph, with messages that name the file and the fix.
/// </summary>
public sealed class OnnxModelInfo
{
    private OnnxModelInfo(string source, IReadOnlyList<OnnxTensorInfo> inputs, IReadOnlyList<OnnxTensorInfo> outputs)
    {
        Source = source;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Where the model came from (file path or "bytes").</summary>
    public string Source { get; }

    /// <summary>The graph inputs (initializers excluded).</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>Reads the model file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable ONNX model.</exception>
    public static OnnxModelInfo Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model file '{Path.GetFullPath(path)}' does not exist. Check the path (relative paths are resolved from {Environment.CurrentDirectory}).", path);
        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model from its bytes (e.g. stored inside a saved ML.NET model).</summary>
    /// <param name="model">The ONNX file's bytes.</param>
    /// <param name="source">A name for messages.</param>
    public static OnnxModelInfo FromBytes(byte[] model, string source = "bytes")
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new InferenceSession(model, options);
            return new OnnxModelInfo(source, Describe(session.InputMetadata), Describe(session.OutputMetadata));
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException(
                $"'{source}' ({model.Length:N0} bytes) is not a loadable ONNX model: {e.Message.Trim()} " +
                "Check that the file is complete (not truncated by a download) and was exported as ONNX (opset 7 or newer).", e);
        }
    }

    /// <summary>Finds an output by name, listing the available ones when it is missing.</summary>
    public OnnxTensorInfo Output(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new ArgumentException($"ONNX model '{Source}' has no output named '{name}'. Its outputs are: {string.Join(", ", Outputs)}.", nameof(name));

    private static OnnxTensorInfo[] Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Select(n => new OnnxTensorInfo(n.Key, n.Value.ElementType, n.Value.Dimensions.ToArray(),
            n.Value.SymbolicDimensions.Select(s => s ?? "").ToArray())).ToArray();
}
