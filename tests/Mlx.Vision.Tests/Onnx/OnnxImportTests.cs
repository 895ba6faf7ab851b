using Microsoft.ML.OnnxRuntime;
using Mlx.TestSupport;
using Mlx.Vision.Onnx.Import;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Vision.Tests.Onnx;

/// <summary>
/// The TorchSharp import of ONNX graphs (<see cref="OnnxTorchModule"/>) against ONNX Runtime on the same file and
/// the same random batch: the bundled ImageNet ResNet18 (CNTK export, opset 8, uneven stem padding), the PyTorch
/// fixtures (tests/golden/onnx) and torchvision architectures exported with batch norm kept, opsets 13 and 17
/// (tests/golden/onnx_import, make_import_fixtures.py). Equal to 1e-4 of the output's largest magnitude.
/// </summary>
public class OnnxImportTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Fixtures() => new(
        "onnx/vgg_tiny_opset13.onnx", "onnx/vgg_tiny_opset17.onnx", "onnx/resnet_tiny_opset13.onnx", "onnx/resnet_tiny_opset17.onnx",
        "onnx/resnet_tiny_fused_opset13.onnx", "onnx/resnet_tiny_fused_opset17.onnx",
        "onnx_import/mobilenet_v2_opset13.onnx", "onnx_import/mobilenet_v2_opset17.onnx", "onnx_import/squeezenet1_1_opset13.onnx",
        "onnx_import/densenet_mini_opset13.onnx", "onnx_import/densenet_mini_opset17.onnx", "onnx_import/inception_mini_opset13.onnx",
        "onnx_import/inception_mini_opset17.onnx", "onnx_import/xception_block_opset13.onnx", "onnx_import/xception_block_opset17.onnx",
        "onnx_import/operator_zoo_opset13.onnx", "onnx_import/operator_zoo_opset17.onnx");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Imported_graph_equals_ONNX_Runtime(string file)
    {
        var backbone = OnnxBackbone.FromFile(Golden(file), preprocessing: ImagePreprocessing.None);
        AssertEqualToOnnxRuntime(backbone, batch: 3);
    }

    [Fact]
    public void Bundled_ResNet18_equals_ONNX_Runtime_at_its_output_and_inside()
    {
        var resnet = OnnxBackbone.ResNet18();
        AssertEqualToOnnxRuntime(resnet, batch: 2);
        // Cut after the third residual stage: a 4-D activation, not the pooled features.
        var module = resnet.ToTorchModule();
        string inside = module.NodeNames[module.NodeNames.Count * 3 / 4];
        var intermediate = OnnxBackbone.FromBytes(File.ReadAllBytes(ResNet18Path()), "ResNet18", resnet.InputName, NodeOutput(module, inside), ImagePreprocessing.None);
        Assert.Equal(4, intermediate.FeatureShape.Count + 1);
        AssertEqualToOnnxRuntime(intermediate, batch: 2);
    }

    [Fact]
    public void A_batch_of_the_wrong_channel_count_or_size_names_the_expected_input()
    {
        var backbone = OnnxBackbone.FromFile(Golden("onnx/vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None);
        using var module = backbone.ToTorchModule();
        using var grey = TorchSharp.torch.zeros(2, 1, backbone.Height, backbone.Width);
        var channels = Assert.Throws<ArgumentException>(() => module.forward(grey));
        Assert.Contains($"as (N, {backbone.Channels}, {backbone.Height}, {backbone.Width}), but the tensor given has shape (2, 1, {backbone.Height}, {backbone.Width})", channels.Message);
        using var small = TorchSharp.torch.zeros(2, backbone.Channels, 8, 8);
        Assert.Contains("resize them", Assert.Throws<ArgumentException>(() => module.forward(small)).Message);
    }

    [Fact]
    public void Unsupported_operators_are_all_listed_with_the_fix()
    {
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Golden("onnx/vgg_tiny_opset13.onnx")));
        foreach (var node in proto.Graph.Node.Where(n => n.OpType == "Relu"))
            node.OpType = "Selu";
        var path = Path.Combine(Path.GetTempPath(), $"selu-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        try
        {
            var backbone = OnnxBackbone.FromFile(path, preprocessing: ImagePreprocessing.None);
            var e = Assert.Throws<NotSupportedException>(() => backbone.ToTorchModule());
            int selus = proto.Graph.Node.Count(n => n.OpType == "Selu");
            Assert.Contains($"Selu ({selus} nodes", e.Message);
            Assert.Contains("Supported: ", e.Message);
            Assert.Contains("Cut the backbone below them", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Gradients_reach_every_trainable_weight_and_freezing_stops_them()
    {
        var module = OnnxBackbone.FromFile(Golden("onnx/resnet_tiny_opset17.onnx"), preprocessing: ImagePreprocessing.None).ToTorchModule();
        using var scope = NewDisposeScope();
        using var x = randn(4, 3, 32, 32, generator: new Generator(7));
        module.train();
        module.forward(x).square().sum().backward();
        Assert.All(module.parameters(), p => Assert.True(p.grad is { } g && g.abs().sum().item<float>() > 0));

        // Freeze everything up to the last convolution: only the layers after it (the classifier) learn.
        string lastConv = module.NodeNames[module.NodeTypes.ToList().FindLastIndex(t => t == "Conv")];
        module.Freeze(lastConv);
        module.zero_grad();
        foreach (var p in module.parameters())
            p.grad = null!;
        var before = module.named_buffers().Where(b => b.name.Contains("running") || b.name.Contains("mean") || b.name.Contains("var")).Select(b => b.buffer.clone()).ToList();
        module.forward(x).square().sum().backward();
        var trainable = module.parameters().Where(p => p.requires_grad).ToList();
        Assert.InRange(trainable.Count, 1, 4);
        Assert.All(module.parameters().Where(p => !p.requires_grad), p => Assert.Null(p.grad));
        Assert.All(trainable, p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Trainable_batch_norm_uses_batch_statistics_and_frozen_batch_norm_its_running_ones()
    {
        var module = OnnxBackbone.FromFile(Golden("onnx/resnet_tiny_opset17.onnx"), preprocessing: ImagePreprocessing.None).ToTorchModule();
        using var x = randn(4, 3, 32, 32, generator: new Generator(3));
        using var _ = no_grad();
        module.eval();
        using var inference = module.forward(x);
        module.train();
        module.Freeze(module.NodeNames[^1]);            // everything frozen: running statistics, same as eval
        using var frozen = module.forward(x);
        Assert.True(frozen.allclose(inference, rtol: 0, atol: 1e-6));
        module.Freeze(null);
        module.Freeze(module.NodeNames[0]);             // all but the stem trainable: batch statistics, other output
        using var training = module.forward(x);
        Assert.False(training.allclose(inference, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Folding_batch_norm_into_the_convolution_changes_no_output_or_gradient()
    {
        // Tapping a convolution's output turns its folding off: the same pass with and without taps compares the folded
        // convolution (inference-mode batch norm) with the two separate nodes, values and gradients of every weight.
        var module = OnnxBackbone.FromFile(Golden("onnx/resnet_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None).ToTorchModule();
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Golden("onnx/resnet_tiny_opset13.onnx")));
        var convolutions = proto.Graph.Node.Where(n => n.OpType == "Conv").Select(n => n.Output[0]).ToArray();
        Assert.True(convolutions.Length >= 5);
        module.eval();
        using var x = randn(2, 3, 32, 32, generator: new Generator(9));
        (float[] Output, float[][] Gradients) Pass(bool separate)
        {
            foreach (var p in module.parameters())
                p.grad = null!;
            var y = separate ? module.ForwardWithTaps(x, convolutions).Output : module.forward(x);
            y.square().sum().backward();
            return (y.detach().contiguous().data<float>().ToArray(), module.parameters().Select(p => p.grad!.contiguous().data<float>().ToArray()).ToArray());
        }
        var folded = Pass(separate: false);
        var separate = Pass(separate: true);
        AssertClose(separate.Output, folded.Output, "output");
        for (int i = 0; i < folded.Gradients.Length; i++)
            AssertClose(separate.Gradients[i], folded.Gradients[i], $"gradient {i}");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        double scale = Math.Max(1e-12, expected.Max(v => Math.Abs(v)));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-5 * scale, $"{what}: largest difference {worst:G3} against largest value {scale:G3}");
    }

    private static void AssertEqualToOnnxRuntime(OnnxBackbone backbone, int batch)
    {
        var module = backbone.ToTorchModule();
        // Inference mode from the start: batch normalization with its running statistics (in training mode a batch's own
        // statistics made a torchvision ResNet18's features differ by up to 90 %).
        Assert.False(module.training);
        long[] shape = [batch, backbone.Channels, backbone.Height, backbone.Width];
        var random = new Random(11);
        var pixels = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (float)(random.NextDouble() * 2 - 1);

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(backbone.Model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using var results = session.Run(new RunOptions(), [backbone.InputName], [input], [backbone.OutputName]);
        var expected = results[0].GetTensorDataAsSpan<float>().ToArray();
        var expectedShape = results[0].GetTensorTypeAndShape().Shape;

        using var _ = no_grad();
        using var x = tensor(pixels, shape);
        using var y = module.forward(x);
        Assert.Equal(expectedShape, y.shape);
        var actual = y.contiguous().data<float>().ToArray();
        double scale = Math.Max(1e-12, expected.Max(v => Math.Abs(v)));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance * scale, $"{backbone.Name} → {backbone.OutputName}: largest difference {worst:G3} against largest value {scale:G3}");
    }

    private static string NodeOutput(OnnxTorchModule module, string node) =>
        global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(ResNet18Path())).Graph.Node.Single(n => n.Name == node).Output[0];

    private static string ResNet18Path() => ResNet18Files.Network(ResNet18Files.Locate(null));

    private static string Golden(string file) => RepoPaths.Combine("tests", "golden", file);
}
