using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mlx.Estimators;

/// <summary>
/// Writes a trained network as an ONNX model (opset 13): input <c>Features</c> [N, feature size] float (for an image
/// column: its R, G, B planes scaled to [0, 1], as the trainer reads it), the hidden layers as each exports itself, the
/// output layer, and the outputs the ML.NET model writes: binary <c>Score</c> (logit) and <c>Probability</c>,
/// multiclass <c>Score</c> (class probabilities), regression <c>Score</c>.
/// </summary>
internal static class OnnxNetworkExporter
{
    public const string InputName = "Features";

    public static ModelProto Export(NeuralNetworkModel model, NetworkBuilder.Network network)
    {
        var modules = network.Modules.ToList();
        int[] shape = [model.FeatureSize];
        var export = new OnnxExport(modules, InputName, shape);
        if (model.InputShape is { } inputShape)
        {
            export.Take();                                       // the network's own view of the flat vector
            export.Prefix = "input_";
            export.Apply("Reshape", [export.Longs("shape", [-1, .. inputShape.Select(d => (long)d)])]);
            export.Shape = inputShape.ToArray();
        }
        for (int i = 0; i < model.Layers.Count; i++)
        {
            export.Prefix = $"layer{i}_{new string(model.Layers[i].Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray())}_";
            model.Layers[i].Export(export);
            if (!model.Layers[i].CarriesMask)
                export.SequenceLengths = null;
        }
        export.Prefix = "output_";
        Layer.Dense(model.Outputs).Export(export);
        var graph = export.Graph;
        graph.Input.Add(Tensor(InputName, model.FeatureSize));
        string logits = export.Current;
        switch (model.Task)
        {
            case NeuralNetworkTask.BinaryClassification:
                graph.Node.Add(Rename(export, "Identity", logits, "Score"));
                graph.Node.Add(Rename(export, "Sigmoid", logits, "Probability"));
                graph.Output.Add(Tensor("Score", 1));
                graph.Output.Add(Tensor("Probability", 1));
                break;
            case NeuralNetworkTask.MulticlassClassification:
                var softmax = Rename(export, "Softmax", logits, "Score");
                softmax.Attribute.Add(OnnxExport.Int("axis", 1));
                graph.Node.Add(softmax);
                graph.Output.Add(Tensor("Score", model.Outputs));
                break;
            default:
                graph.Node.Add(Rename(export, "Identity", logits, "Score"));
                graph.Output.Add(Tensor("Score", model.Outputs));
                break;
        }
        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Mlx",
            ProducerVersion = typeof(OnnxNetworkExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
            DocString = $"Mlx {model.Task} network: {string.Join(" -> ", model.Layers.Select(l => l.Name))} -> Dense({model.Outputs})",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = export.Opset });
        return proto;
    }

    private static NodeProto Rename(OnnxExport export, string opType, string input, string output)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.Add(input);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto Tensor(string name, int size)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }
}
