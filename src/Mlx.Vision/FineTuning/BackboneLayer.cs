using Microsoft.ML.Internal.Utilities;
using Mlx.Estimators;
using Mlx.Vision.Onnx;
using static TorchSharp.torch;

namespace Mlx.Vision;

/// <summary>
/// A pretrained convolutional base as the first layer of a network (Keras' <c>conv_base</c> inside a Sequential): the
/// backbone's ONNX graph imported as TorchSharp operators, its weights frozen while the head above it trains, then
/// — in the trainer's <see cref="NeuralNetworkOptions.FineTuning"/> phase — its top <see cref="UnfreezeTopConvolutions"/>
/// convolutions (and everything after them) trained jointly at the phase's low learning rate. Frozen batch
/// normalization stays in inference mode. Takes the trainer's images: an ML.NET image column of the backbone's size, read
/// as R, G, B planes in [0, 1], which the layer turns into the backbone's own preprocessing; its output is the
/// backbone's output tensor (e.g. ResNet18's 512 × 1 × 1). Create it with <see cref="VisionLayers.Backbone"/>.
/// </summary>
public sealed record BackboneLayer : Layer
{
    internal BackboneLayer(OnnxBackbone backbone, int unfreezeTopConvolutions)
    {
        Backbone = backbone;
        UnfreezeTopConvolutions = unfreezeTopConvolutions;
    }

    /// <summary>The pretrained network (its output tensor is the layer's output).</summary>
    public OnnxBackbone Backbone { get; }

    /// <summary>Convolutions from the top unfrozen when fine-tuning starts (0: the base stays frozen).</summary>
    public int UnfreezeTopConvolutions { get; }

    /// <inheritdoc/>
    public override string Name => $"Backbone ({Backbone.Name})";

    /// <summary>The (channels, height, width) the layer takes: set <see cref="NeuralNetworkOptions.InputShape"/> to it, or feed an image column of that size.</summary>
    public int[] InputShape => [Backbone.Channels, Backbone.Height, Backbone.Width];

    internal override void Build(LayerBuild build)
    {
        if (!build.Shape.SequenceEqual(InputShape))
        {
            throw build.ShapeError(this, $"{Backbone.Name} takes images of {LayerBuild.Show(InputShape)}",
                $"Make it the first layer and resize the images to {Backbone.Width}×{Backbone.Height} (ResizeImages); NeuralNetworkOptions.InputShape must be {LayerBuild.Show(InputShape)}.");
        }
        var module = new BackboneModule(Backbone.Import(cutAt: null, weightsFollow: true), Backbone.Preprocessing, Backbone.Channels, Backbone.Height, Backbone.Width);
        if (UnfreezeTopConvolutions > module.ConvolutionCount)
        {
            // More than it has would silently unfreeze the whole backbone.
            module.Dispose();
            throw new ArgumentOutOfRangeException("unfreezeTopConvolutions", UnfreezeTopConvolutions,
                $"{Backbone.Name} has {module.ConvolutionCount} convolutions, fewer than the {UnfreezeTopConvolutions} to unfreeze. Unfreeze at most {module.ConvolutionCount} (all of them fine-tunes the whole backbone).");
        }
        build.Add("backbone", module);
        build.Shape = Backbone.FeatureShape.Select(d => checked((int)d)).ToArray();
    }

    internal override void StartFineTuning(IReadOnlyList<nn.Module<Tensor, Tensor>> modules) =>
        ((BackboneModule)modules[0]).UnfreezeTop(UnfreezeTopConvolutions);

    /// <summary>
    /// Exports the preprocessing as ONNX nodes and the backbone's graph with its current (fine-tuned) weights, tensor
    /// names prefixed. A graph of opset 13 or later is copied as it is (the export takes the later opset); an older one
    /// is brought to opset 13 for the operators whose form did not change but for attributes that were dropped.
    /// </summary>
    internal override void Export(OnnxExport export)
    {
        var module = export.Take<BackboneModule>();
        var (multiplier, offset, meanImage, planes) = module.Preprocessing;
        if (planes is not null)
        {
            export.Tensor(export.Prefix + "planes", planes);
            export.Apply("Gather", [export.Prefix + "planes"], OnnxExport.Int("axis", 1));
        }
        export.Apply("Mul", [export.Initializer("multiplier", multiplier)]);
        export.Apply("Add", [export.Initializer("offset", offset)]);
        if (meanImage is not null)
            export.Apply("Sub", [export.Initializer("mean_image", meanImage)]);
        var network = module.Network;
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { [network.InputName] = export.Current };
        string Rename(string name) => name.Length == 0 ? name
            : names.TryGetValue(name, out var renamed) ? renamed : names[name] = export.Prefix + name;
        foreach (var (name, value) in network.StoredTensors)
            export.Tensor(Rename(name), value);
        export.Opset = Math.Max(export.Opset, network.Opset);
        foreach (var source in network.Nodes)
        {
            var node = source.Clone();
            node.Name = export.Prefix + source.Name;
            UpgradeToOpset13(node, network.Opset);
            for (int i = 0; i < node.Input.Count; i++)
                node.Input[i] = Rename(node.Input[i]);
            for (int i = 0; i < node.Output.Count; i++)
                node.Output[i] = Rename(node.Output[i]);
            export.Graph.Node.Add(node);
        }
        export.Current = Rename(network.OutputName);
        export.Shape = Backbone.FeatureShape.Select(d => checked((int)d)).ToArray();
    }

    // Operators whose inputs changed before opset 13 (Unsqueeze, Pad, Clip, Dropout, Slice, Reshape, Softmax, ...) need
    // a real conversion: refused by name. The rest only lost attributes along the way.
    private static void UpgradeToOpset13(global::Onnx.NodeProto node, int opset)
    {
        if (opset >= 13)
            return;
        string[] unchanged = ["Conv", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "Add", "Sub", "Mul", "Div", "Gemm", "MatMul", "Flatten", "Transpose", "Concat", "Identity", "Constant", "Shape", "Gather", "Cast"];
        if (!unchanged.Contains(node.OpType))
            throw new NotSupportedException($"The backbone's node '{node.Name}' ({node.OpType}) is of opset {opset}; exporting it to opset 13 needs a conversion Mlx does not do. Re-export the backbone at opset 13 or later.");
        // BatchNormalization lost 'spatial' (opset 9) and 'is_test' / 'consumed_inputs' (opset 7); binary ops lost 'broadcast' / 'axis' (opset 7).
        var dropped = node.Attribute.Where(a => a.Name is "spatial" or "is_test" or "consumed_inputs" or "broadcast" || (a.Name == "axis" && node.OpType is "Add" or "Sub" or "Mul" or "Div")).ToList();
        foreach (var attribute in dropped)
            node.Attribute.Remove(attribute);
    }

    // The graph without its float weights (they are saved with the network's weights, fine-tuned): a few kB, not the
    // backbone's megabytes twice.
    internal override void Write(BinaryWriter w)
    {
        LayerFormat.WriteExtension(w, this);
        Backbone.WriteDescription(w);
        w.Write(UnfreezeTopConvolutions);
        w.WriteByteArray(OnnxGraphEditor.StripWeights(Backbone.Model));
    }

    internal static BackboneLayer Read(BinaryReader r)
    {
        var description = OnnxBackbone.ReadDescription(r, "MlxNeuralNetwork (backbone layer)");
        int unfreeze = r.ReadInt32();
        return new BackboneLayer(description.Restore(r.ReadByteArray()), unfreeze);
    }
}

/// <summary>Layers Mlx.Vision adds to Mlx.Estimators' stack.</summary>
public static class VisionLayers
{
    /// <summary>
    /// A pretrained backbone as the first layer (see <see cref="BackboneLayer"/>): frozen while the layers after it train,
    /// its top <paramref name="unfreezeTopConvolutions"/> convolutions trained in the fine-tuning phase.
    /// </summary>
    /// <param name="backbone">e.g. <see cref="OnnxBackbone.ResNet18"/>, or a file cut below its classifier.</param>
    /// <param name="unfreezeTopConvolutions">Convolutions from the top to fine-tune (ResNet18's last residual block has 2).</param>
    public static BackboneLayer Backbone(OnnxBackbone backbone, int unfreezeTopConvolutions = 2)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentOutOfRangeException.ThrowIfNegative(unfreezeTopConvolutions);
        return new BackboneLayer(backbone, unfreezeTopConvolutions);
    }
}
