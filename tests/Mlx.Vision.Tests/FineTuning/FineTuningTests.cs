using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;
using Mlx.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Vision.Tests.FineTuning;

/// <summary>
/// FineTuneImageClassifier on the tiny PyTorch ResNet fixture (32×32, cut below its classifier) and 40 tuxpaint photos:
/// phase 1 changes only the head, phase 2 the top two convolutions (and what follows) and nothing below, frozen batch
/// norm keeps its statistics, the history numbers both phases, and the saved model (weights inside, the graph without
/// its weights) scores identically in a new process.
/// </summary>
public class FineTuningTests
{
    private const string Pool = "/pool/GlobalAveragePool_output_0";

    private static OnnxBackbone TinyResNet() =>
        OnnxBackbone.FromFile(RepoPaths.Combine("tests", "golden", "onnx", "resnet_tiny_opset17.onnx"), outputName: Pool);

    private static (MLContext Ml, IDataView Data, IEstimator<ITransformer> Images) Photos()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(VisionData.Photos(40));
        var images = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", null, "Path"))
            .Append(ml.Transforms.ResizeImages("Image", 32, 32));
        return (ml, data, images);
    }

    [Fact]
    public void Phase_one_trains_the_head_phase_two_the_top_convolutions_and_the_model_reloads()
    {
        var (ml, data, images) = Photos();
        var options = new NeuralNetworkOptions
        {
            FeatureColumnName = "Image", Layers = [Layer.Flatten()], Epochs = 3, BatchSize = 8, Seed = 1, Optimizer = Optimizer.RmsProp(1e-3),
            FineTuning = new FineTuningPhase { Epochs = 2, Optimizer = Optimizer.RmsProp(1e-3) },
        };
        var pipeline = images.Append(ml.MulticlassClassification.Trainers.FineTuneImageClassifier(TinyResNet(), options, unfreezeTopConvolutions: 2));
        var model = pipeline.Fit(data);
        var network = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkModel>().Single();

        Assert.Equal([1, 2, 3, 4, 5], network.History.Epochs.Select(e => e.Epoch));
        Assert.Equal(4, network.History.FineTuningStartEpoch);
        Assert.Null(options.InputShape);                      // the caller's options are left as they were
        Assert.Contains("Backbone (resnet_tiny_opset17.onnx)", network.Summary());

        // Compare the trained backbone with the original weights: only the last two convolutions' block moved.
        var original = TinyResNet().ToTorchModule();
        var trained = network.TorchModule.modules().OfType<Mlx.Vision.Onnx.Import.OnnxTorchModule>().Single();
        var convolutions = original.NodeTypes.Select((t, i) => (t, i)).Where(n => n.t == "Conv").Select(n => n.i).ToList();
        var changed = new List<string>();
        var unchanged = new List<string>();
        foreach (var (name, parameter) in original.named_parameters())
        {
            using var after = trained.get_parameter(name)!.detach();
            (parameter.allclose(after, rtol: 0, atol: 0) ? unchanged : changed).Add(name);
        }
        Assert.NotEmpty(changed);
        Assert.NotEmpty(unchanged);
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepoPaths.Combine("tests", "golden", "onnx", "resnet_tiny_opset17.onnx")));
        var topConvolutionWeights = proto.Graph.Node.Where(n => n.OpType == "Conv").TakeLast(2).Select(n => original.ParameterName(n.Input[1])).ToList();
        Assert.All(topConvolutionWeights, w => Assert.Contains(w, changed));
        string stemWeight = original.ParameterName(proto.Graph.Node.First(n => n.OpType == "Conv").Input[1]);
        Assert.Contains(stemWeight, unchanged);
        // Frozen batch norm (the stem's) kept its running statistics; the unfrozen top one updated them.
        var stemNorm = proto.Graph.Node.First(n => n.OpType == "BatchNormalization");
        var topNorm = proto.Graph.Node.Last(n => n.OpType == "BatchNormalization");
        foreach (var (node, moved) in new[] { (stemNorm, false), (topNorm, true) })
        {
            foreach (var statistic in node.Input.Skip(3))
            {
                string name = original.ParameterName(statistic);
                var before = original.get_buffer(name)!;      // the modules' own tensors: not disposed here
                var after = trained.get_buffer(name)!;
                Assert.False(after.isnan().any().item<bool>(), name);
                Assert.Equal(!moved, before.allclose(after, rtol: 0, atol: 0));
            }
        }

        // Saved and reloaded in a new process: the same scores; the graph is saved without its weights (once, not twice).
        string folder = Path.Combine(Path.GetTempPath(), $"mlx-finetune-{Guid.NewGuid():N}");
        var here = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        var there = ModelRoundTrip.TransformInNewProcess(ml, model, data, folder).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(here.Length, there.Length);
        for (int i = 0; i < here.Length; i++)
            Assert.Equal(here[i], there[i]);
        Assert.Contains(here, s => Math.Abs(s[0] - here[0][0]) > 1e-6);
    }

    [Fact]
    public void Without_a_fine_tuning_epoch_the_backbone_stays_exactly_as_imported()
    {
        var (ml, data, images) = Photos();
        var options = new NeuralNetworkOptions
        {
            FeatureColumnName = "Image", Layers = [Layer.Flatten(), Layer.Dense(8, Activation.Relu)], Epochs = 3, BatchSize = 8, Seed = 2,
            FineTuning = new FineTuningPhase { Epochs = 0 },
        };
        var model = images.Append(ml.MulticlassClassification.Trainers.FineTuneImageClassifier(TinyResNet(), options)).Fit(data);
        var network = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkModel>().Single();
        var original = TinyResNet().ToTorchModule();
        var trained = network.TorchModule.modules().OfType<Mlx.Vision.Onnx.Import.OnnxTorchModule>().Single();
        foreach (var (name, parameter) in original.named_parameters())
            Assert.True(parameter.allclose(trained.get_parameter(name)!, rtol: 0, atol: 0), name);
        foreach (var (name, buffer) in original.named_buffers())
            Assert.True(buffer.allclose(trained.get_buffer(name)!, rtol: 0, atol: 0), name);
        Assert.Null(network.History.FineTuningStartEpoch);
        // The summary counts the frozen backbone as non-trainable: the head's Dense(8) and output layer are all that train.
        long head = (16 * 8 + 8) + (8 * network.Outputs + network.Outputs);
        Assert.Contains($"Trainable params: {head:N0}", network.Summary());
    }

    [Fact]
    public void Unfreezing_more_convolutions_than_the_backbone_has_is_refused_with_its_count()
    {
        var (ml, data, images) = Photos();
        var options = new NeuralNetworkOptions
        {
            FeatureColumnName = "Image", Layers = [Layer.Flatten()], Epochs = 1, BatchSize = 8, Seed = 1,
            FineTuning = new FineTuningPhase { Epochs = 1 },
        };
        int convolutions = TinyResNet().ToTorchModule().NodeTypes.Count(t => t == "Conv");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            images.Append(ml.MulticlassClassification.Trainers.FineTuneImageClassifier(TinyResNet(), options, unfreezeTopConvolutions: convolutions + 1)).Fit(data));
        Assert.Contains($"has {convolutions} convolutions, fewer than the {convolutions + 1} to unfreeze", error.Message);
    }

    public static TheoryData<string> ExportCases() => new("tiny", "resnet18");

    [Theory]
    [MemberData(nameof(ExportCases))]
    public void A_fine_tuned_model_exports_to_ONNX_with_its_tuned_weights(string which)
    {
        // The tiny fixture is opset 17 (copied as it is); the bundled ResNet18 is a CNTK export of opset 8, brought to 13.
        var ml = new MLContext(seed: 1);
        int side = which == "tiny" ? 32 : 224;
        var data = ml.Data.LoadFromEnumerable(VisionData.Photos(165).Where((_, i) => i % (which == "tiny" ? 4 : 20) == 0).ToList());
        var prep = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", null, "Path"))
            .Append(ml.Transforms.ResizeImages("Image", side, side))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255))
            .Fit(data);
        var prepared = prep.Transform(data);
        var options = new NeuralNetworkOptions
        {
            FeatureColumnName = "Image", Layers = [Layer.Flatten(), Layer.Dense(8, Activation.Relu)], Epochs = 1, BatchSize = 8, Seed = 3,
            FineTuning = new FineTuningPhase { Epochs = 1, Optimizer = Optimizer.RmsProp(1e-3) },
        };
        var backbone = which == "tiny" ? TinyResNet() : OnnxBackbone.ResNet18();
        var model = ml.MulticlassClassification.Trainers.FineTuneImageClassifier(backbone, options).Fit(prepared);
        string path = Path.Combine(Path.GetTempPath(), $"mlx-finetuned-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            var expected = model.Transform(prepared).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
            var pixels = prepared.GetColumn<float[]>("Pixels").ToArray();
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
            using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(pixels.SelectMany(p => p).ToArray(), [pixels.Length, pixels[0].Length]);
            using var results = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["Features"], [input], ["Score"]);
            var actual = results[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4 * expected.Max(), $"largest difference {worst:G3}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
