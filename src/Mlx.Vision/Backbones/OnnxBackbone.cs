using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.OnnxRuntime;
using Mlx.Core.Persistence;
using Mlx.Vision.Onnx;

namespace Mlx.Vision;

/// <summary>
/// A pretrained convolutional network in ONNX form, used up to a feature layer: the bundled ImageNet
/// ResNet18 (<see cref="ResNet18"/>) or any user file (<see cref="FromFile"/>), e.g. VGG16/ResNet50 from
/// the ONNX model zoo or a PyTorch export. The model is prepared for batching (its batch dimension
/// made symbolic) and checked by running a batch of two blank images, so problems show here, not
/// halfway through a pipeline.
/// </summary>
public sealed class OnnxBackbone
{
    private OnnxBackbone(string name, byte[] model, string inputName, string outputName, int channels, int height, int width,
        long[] outputDimensions, ImagePreprocessing preprocessing)
    {
        Name = name;
        Model = model;
        InputName = inputName;
        OutputName = outputName;
        Channels = channels;
        Height = height;
        Width = width;
        OutputDimensions = outputDimensions;
        Preprocessing = preprocessing;
    }

    /// <summary>A name for messages and reports (the file name, or "ResNet18").</summary>
    public string Name { get; }

    /// <summary>The image input of the graph.</summary>
    public string InputName { get; }

    /// <summary>The tensor read as features (a graph output or an intermediate tensor).</summary>
    public string OutputName { get; }

    /// <summary>Input channels (3 for colour).</summary>
    public int Channels { get; }

    /// <summary>Input height in pixels.</summary>
    public int Height { get; }

    /// <summary>Input width in pixels.</summary>
    public int Width { get; }

    /// <summary>The feature tensor's dimensions after the batch one (e.g. 512×1×1 for ResNet18).</summary>
    public IReadOnlyList<long> FeatureShape => OutputDimensions;

    /// <summary>The number of features per image (the product of <see cref="FeatureShape"/>).</summary>
    public int FeatureSize => checked((int)OutputDimensions.Aggregate(1L, (a, b) => a * b));

    /// <summary>How pixels are normalised before the network.</summary>
    public ImagePreprocessing Preprocessing { get; }

    /// <summary>The prepared ONNX bytes (symbolic batch dimension), stored inside saved ML.NET models.</summary>
    internal byte[] Model { get; }

    internal long[] OutputDimensions { get; }

    /// <summary>
    /// The ImageNet-trained ResNet18 shipped by the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18
    /// (512 features from global average pooling, 224×224 input), with that package's own preprocessing:
    /// BGR planes minus its per-pixel ImageNet mean image, 0–255 scale. No download is needed.
    /// </summary>
    /// <param name="modelDirectory">The package's <c>DnnImageModels</c> folder; by default found next to the
    /// application (the package copies it there) or in the NuGet package cache.</param>
    public static OnnxBackbone ResNet18(string? modelDirectory = null)
    {
        var directory = ResNet18Files.Locate(modelDirectory);
        var meanImage = ResNet18Files.MeanImage(directory);
        var preprocessing = new ImagePreprocessing { ChannelOrder = ChannelOrder.Bgr, MeanImage = meanImage };
        return FromBytes(File.ReadAllBytes(ResNet18Files.Network(directory)), "ResNet18", ResNet18Files.InputName, ResNet18Files.OutputName, preprocessing);
    }

    /// <summary>Any ONNX backbone taking a float NCHW image tensor.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="inputName">The image input; may be omitted when the graph has one input.</param>
    /// <param name="outputName">The tensor to read: a graph output (may be omitted when there is one) or any
    /// intermediate tensor, e.g. the last pooling layer's output to drop the classifier.</param>
    /// <param name="preprocessing">Pixel normalisation; by default <see cref="ImagePreprocessing.ImageNet"/>
    /// (torchvision's, which PyTorch exports and the ONNX model zoo use).</param>
    /// <param name="height">Input height, required when the model's is symbolic.</param>
    /// <param name="width">Input width, required when the model's is symbolic.</param>
    public static OnnxBackbone FromFile(string path, string? inputName = null, string? outputName = null,
        ImagePreprocessing? preprocessing = null, int? height = null, int? width = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX backbone file '{Path.GetFullPath(path)}' does not exist. Check the path (relative paths are resolved from {Environment.CurrentDirectory}).", path);
        return FromBytes(File.ReadAllBytes(path), Path.GetFileName(path), inputName, outputName, preprocessing ?? ImagePreprocessing.ImageNet, height, width);
    }

    /// <summary>A backbone from ONNX bytes (see <see cref="FromFile"/>).</summary>
    public static OnnxBackbone FromBytes(byte[] model, string name, string? inputName = null, string? outputName = null,
        ImagePreprocessing? preprocessing = null, int? height = null, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var info = OnnxModelInfo.FromBytes(model, name);
        var input = ChooseInput(info, inputName);
        string output = outputName ?? (info.Outputs.Count == 1
            ? info.Outputs[0].Name
            : throw new ArgumentException($"ONNX model '{name}' has {info.Outputs.Count} outputs ({string.Join(", ", info.Outputs)}); pass outputName to choose one.", nameof(outputName)));
        int channels = input.Dimensions[1];
        int h = Size(name, input, 2, height, nameof(height));
        int w = Size(name, input, 3, width, nameof(width));
        preprocessing ??= ImagePreprocessing.ImageNet;
        preprocessing.Validate(channels, h, w);
        if (info.Outputs.All(o => o.Name != output) && !OnnxGraphEditor.TensorNames(model).Contains(output))
        {
            throw new ArgumentException($"ONNX model '{name}' has no tensor named '{output}'. Its outputs are {string.Join(", ", info.Outputs)}; " +
                $"intermediate tensors include {string.Join(", ", OnnxGraphEditor.TensorNames(model).TakeLast(8).Select(t => $"'{t}'"))}.", nameof(outputName));
        }
        var prepared = OnnxGraphEditor.PrepareForBatching(model, input.Name, output);
        var outputDimensions = ProbeOutput(prepared, name, input.Name, output, channels, h, w);
        return new OnnxBackbone(name, prepared, input.Name, output, channels, h, w, outputDimensions, preprocessing);
    }

    /// <summary>
    /// The saved description, everything but the ONNX bytes (FeaturizeImage models and fine-tuned backbone layers):
    /// name, input and output names, C, H, W, the output dimensions and the preprocessing.
    /// </summary>
    internal void WriteDescription(BinaryWriter w)
    {
        w.Write(Name);
        w.Write(InputName);
        w.Write(OutputName);
        w.Write(Channels);
        w.Write(Height);
        w.Write(Width);
        w.WriteIntArray(OutputDimensions.Select(d => checked((int)d)).ToArray());
        Preprocessing.Write(w);
    }

    /// <summary>Reads what <see cref="WriteDescription"/> wrote; <see cref="SavedDescription.Restore"/> adds the ONNX bytes.</summary>
    internal static SavedDescription ReadDescription(BinaryReader r, string component)
    {
        string name = r.ReadString(), input = r.ReadString(), output = r.ReadString();
        int channels = r.ReadInt32(), height = r.ReadInt32(), width = r.ReadInt32();
        var shape = r.ReadIntArrayBounded(component, "backbone output shape").Select(d => (long)d).ToArray();
        return new SavedDescription(name, input, output, channels, height, width, shape, ImagePreprocessing.Read(r, component));
    }

    /// <summary>A backbone's saved description (see <see cref="WriteDescription"/>).</summary>
    internal sealed record SavedDescription(string Name, string Input, string Output, int Channels, int Height, int Width, long[] Shape, ImagePreprocessing Preprocessing)
    {
        public OnnxBackbone Restore(byte[] model) => new(Name, model, Input, Output, Channels, Height, Width, Shape, Preprocessing);
    }

    /// <summary>
    /// The backbone as a trainable TorchSharp module (<see cref="Onnx.Import.OnnxTorchModule"/>): the ONNX graph run
    /// with TorchSharp operators, its weights as parameters and batch-normalization statistics as buffers, from the image
    /// input up to <paramref name="cutAt"/> (by default this backbone's <see cref="OutputName"/>). It takes raw NCHW
    /// float batches: apply <see cref="Preprocessing"/> yourself. It starts in evaluation mode, as the exported graph
    /// computes (batch normalization with its saved running statistics, no dropout): use it under <c>torch.no_grad()</c>
    /// for features, or with autograd to visualise; call <c>train()</c> to fine-tune it with batch statistics.
    /// </summary>
    /// <param name="cutAt">Any tensor the graph computes, e.g. the output of the last convolution block.</param>
    /// <exception cref="NotSupportedException">The graph uses operators the import does not run (all are listed).</exception>
    public Onnx.Import.OnnxTorchModule ToTorchModule(string? cutAt = null)
    {
        var module = Import(cutAt, weightsFollow: false);
        module.eval();
        return module;
    }

    /// <summary>
    /// The imported graph up to <paramref name="cutAt"/> (by default the output). A graph saved without its weights (a
    /// fine-tuned layer's) is refused unless <paramref name="weightsFollow"/>: the layer loads its own weights next.
    /// </summary>
    internal Onnx.Import.OnnxTorchModule Import(string? cutAt, bool weightsFollow)
    {
        var graph = OnnxGraphEditor.Parse(Model, Name);
        if (!weightsFollow && graph.MetadataProps.Any(p => p.Key == OnnxGraphEditor.WeightsStrippedKey))
            throw new InvalidOperationException($"Backbone '{Name}' comes from a saved fine-tuned network: its weights are that network's. Use the NeuralNetworkModel, or OnnxBackbone.FromFile for the original backbone.");
        return new(graph, Name, InputName, cutAt ?? OutputName);
    }

    /// <summary>
    /// Writes the ONNX model as Mlx runs it (batch dimension symbolic, the feature tensor a graph output),
    /// e.g. to inspect it in Netron or run it with ONNX Runtime directly.
    /// </summary>
    public void SavePreparedModel(string path) => File.WriteAllBytes(path, Model);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({InputName} [N,{Channels},{Height},{Width}] -> {OutputName} [N,{string.Join(",", OutputDimensions)}])";

    private static OnnxTensorInfo ChooseInput(OnnxModelInfo info, string? inputName)
    {
        OnnxTensorInfo input;
        if (inputName != null)
        {
            input = info.Inputs.FirstOrDefault(i => i.Name == inputName)
                ?? throw new ArgumentException($"ONNX model '{info.Source}' has no input named '{inputName}'. Its inputs are: {string.Join(", ", info.Inputs)}.", nameof(inputName));
        }
        else
        {
            var images = info.Inputs.Where(i => i.Dimensions.Count == 4).ToList();
            input = images.Count == 1
                ? images[0]
                : throw new ArgumentException($"ONNX model '{info.Source}' has {images.Count} four-dimensional inputs ({string.Join(", ", info.Inputs)}); pass inputName to choose the image input.", nameof(inputName));
        }
        if (input.ElementType != typeof(float))
            throw new ArgumentException($"ONNX input '{input.Name}' of '{info.Source}' has element type {input.ElementType.Name}; image backbones must take float (Single) tensors. Export the model with a float32 input.", nameof(inputName));
        if (input.Dimensions.Count != 4 || input.Dimensions[1] <= 0)
            throw new ArgumentException($"ONNX input '{input} ' of '{info.Source}' is not an NCHW image tensor with a fixed channel count. Image backbones take [N, C, H, W].", nameof(inputName));
        return input;
    }

    private static int Size(string name, OnnxTensorInfo input, int axis, int? given, string parameter)
    {
        int declared = input.Dimensions[axis];
        if (declared > 0 && given is int g && g != declared)
            throw new ArgumentException($"ONNX model '{name}' takes {parameter} {declared} (input {input}), not {g}. Resize images to the model's size.", parameter);
        if (declared > 0)
            return declared;
        return given is int v && v > 0
            ? v
            : throw new ArgumentException($"ONNX model '{name}' has a symbolic {parameter} (input {input}); pass {parameter} (e.g. 224).", parameter);
    }

    // Runs two blank images: proves batching works and measures the feature tensor.
    private static long[] ProbeOutput(byte[] prepared, string name, string input, string output, int channels, int height, int width)
    {
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(prepared, options);
            using var blank = OrtValue.CreateTensorValueFromMemory(new float[2 * channels * height * width], new long[] { 2, channels, height, width });
            using var results = session.Run(new RunOptions(), new[] { input }, new[] { blank }, new[] { output });
            var shape = results[0].GetTensorTypeAndShape().Shape;
            if (shape.Length < 2 || shape[0] != 2)
                throw new InvalidDataException($"ONNX model '{name}': tensor '{output}' has shape [{string.Join(",", shape)}] for a batch of 2 images; a feature tensor must keep the batch as its first dimension. Choose another outputName.");
            return shape[1..];
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException(
                $"ONNX model '{name}' cannot run a batch of 2 images of {channels}×{height}×{width} up to '{output}': {e.Message.Trim()} " +
                "If a layer fixes the batch size (e.g. a Reshape to [1, ...]), re-export the model with a dynamic batch axis " +
                "(torch.onnx.export(..., dynamic_axes={'input': {0: 'N'}})).", e);
        }
    }
}
