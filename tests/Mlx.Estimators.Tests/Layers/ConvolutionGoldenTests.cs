using System.Text.Json;
using Mlx.TestSupport;
using static Mlx.TestSupport.GoldenArrays;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Estimators.Tests.Layers;

/// <summary>
/// Convolution, pooling and batch-normalization layers against tests/golden/convnets/conv_layers.json
/// (make_conv_layers.py: PyTorch float64 on inputs padded with Keras' asymmetric "same" rule, numpy loops for pooling and
/// the batch-norm formula): forward outputs, moving statistics after a training step, and the gradients of
/// sum(output × cotangent) with respect to the input and every parameter, for valid/same padding, odd/even kernels and
/// strides, training and inference modes. float32 against float64: 1e-5 relative to the largest value of each array.
/// </summary>
public class ConvolutionGoldenTests
{
    private const double Tolerance = 1e-5;

    /// <summary>
    /// Every case with NCHW input, and every 2-D case again with the channels-last batch the trainers feed
    /// (<see cref="ChannelsLastInput"/>): same values, other memory layout and other oneDNN kernels.
    /// </summary>
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in Golden().EnumerateObject())
        {
            data.Add(c.Name, false);
            if (c.Value.GetProperty("input_shape").GetArrayLength() == 4)
                data.Add(c.Name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_the_reference(string name, bool channelsLast)
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var c = Golden().GetProperty(name);
        var spec = c.GetProperty("layer");
        var layer = Layer(spec);
        var inputShape = Ints(c.GetProperty("input_shape"));
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var build = new LayerBuild(new Random(1), new Generator(1), modules, new List<(TorchSharp.Modules.Parameter, Regularizer)>()) { Shape = inputShape[1..] };
        layer.Build(build);
        var expectedShape = Ints(c.GetProperty("y_shape"));
        Assert.Equal(expectedShape[1..], build.Shape); // shape inference agrees with the reference
        using var scope = NewDisposeScope();
        var module = nn.Sequential(modules);
        var parameters = module.parameters().ToArray();
        var expectedParameters = c.TryGetProperty("params", out var ps) ? ps.EnumerateArray().ToArray() : [];
        Assert.Equal(expectedParameters.Length, parameters.Length);
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
                parameters[i].copy_(tensor(Floats(expectedParameters[i])).reshape(parameters[i].shape));
            if (c.TryGetProperty("buffers", out var buffers))
            {
                foreach (var (bufferName, buffer) in module.named_buffers())
                {
                    string key = bufferName.Split('.')[^1];
                    if (buffers.TryGetProperty(key, out var values))
                        buffer.copy_(tensor(Floats(values)));
                }
            }
        }
        bool training = !(spec.TryGetProperty("mode", out var mode) && mode.GetString() == "eval");
        module.train(training);
        var x = tensor(Floats(c.GetProperty("x"))).reshape(inputShape.Select(d => (long)d).ToArray()).requires_grad_();
        var input = channelsLast ? new ChannelsLastInput(inputShape[1], inputShape[2], inputShape[3]).forward(x.flatten(1)) : x;
        Assert.Equal(channelsLast && inputShape[1] > 1, input.stride(1) == 1 && !input.is_contiguous());
        var y = module.forward(input);
        Assert.Equal(expectedShape.Select(d => (long)d), y.shape);
        Close(Doubles(c.GetProperty("y")), y, $"{name} output");
        if (c.TryGetProperty("buffers_after", out var after))
        {
            foreach (var (bufferName, buffer) in module.named_buffers())
            {
                string key = bufferName.Split('.')[^1];
                if (after.TryGetProperty(key, out var values))
                    Close(Doubles(values), buffer, $"{name} {key} after the step");
            }
        }
        if (!c.TryGetProperty("g", out var g))
            return;
        (y * tensor(Floats(g)).reshape(y.shape)).sum().backward();
        Close(Doubles(c.GetProperty("dx")), x.grad!, $"{name} input gradient");
        var expectedGradients = c.TryGetProperty("dparams", out var dparams) ? dparams.EnumerateArray().ToArray() : [];
        Assert.Equal(parameters.Length, expectedGradients.Length);
        for (int i = 0; i < parameters.Length; i++)
            Close(Doubles(expectedGradients[i]), parameters[i].grad!, $"{name} gradient of parameter {i}");
    }

    [Fact]
    public void Same_padding_puts_the_odd_row_at_the_bottom_as_Keras()
    {
        // Height 9, kernel 4, stride 2: 5 outputs need 3 padded rows, 1 above and 2 below (PyTorch's symmetric padding cannot).
        Assert.Equal((1, 2), PaddingMath.Same(9, 4, 2));
        Assert.Equal((1, 1), PaddingMath.Same(8, 4, 2));
        Assert.Equal((0, 1), PaddingMath.Same(6, 2, 1));
        Assert.Equal(5, PaddingMath.Output(9, 4, 2, Padding.Same));
        Assert.Equal(3, PaddingMath.Output(9, 4, 2, Padding.Valid));
    }

    private static Layer Layer(JsonElement spec)
    {
        var padding = spec.TryGetProperty("padding", out var p) && p.GetString() == "same" ? Padding.Same : Padding.Valid;
        return spec.GetProperty("type").GetString() switch
        {
            "Conv2D" => Estimators.Layer.Conv2D(spec.GetProperty("filters").GetInt32(), spec.GetProperty("kernel")[0].GetInt32(), spec.GetProperty("kernel")[1].GetInt32(),
                stride: spec.GetProperty("stride").GetInt32(), padding: padding, useBias: spec.GetProperty("bias").GetBoolean()),
            "MaxPool2D" => Estimators.Layer.MaxPool2D(spec.GetProperty("pool").GetInt32(), spec.GetProperty("stride").GetInt32(), padding),
            "AveragePool2D" => Estimators.Layer.AveragePool2D(spec.GetProperty("pool").GetInt32(), spec.GetProperty("stride").GetInt32(), padding),
            "GlobalMaxPool2D" => Estimators.Layer.GlobalMaxPool2D(),
            "GlobalAveragePool2D" => Estimators.Layer.GlobalAveragePool2D(),
            "Conv1D" => Estimators.Layer.Conv1D(spec.GetProperty("filters").GetInt32(), spec.GetProperty("kernel").GetInt32(), stride: spec.GetProperty("stride").GetInt32(), padding: padding),
            "MaxPool1D" => Estimators.Layer.MaxPool1D(spec.GetProperty("pool").GetInt32(), spec.GetProperty("stride").GetInt32(), padding),
            "AveragePool1D" => Estimators.Layer.AveragePool1D(spec.GetProperty("pool").GetInt32(), spec.GetProperty("stride").GetInt32(), padding),
            "GlobalMaxPool1D" => Estimators.Layer.GlobalMaxPool1D(),
            "GlobalAveragePool1D" => Estimators.Layer.GlobalAveragePool1D(),
            "SeparableConv2D" => Estimators.Layer.SeparableConv2D(spec.GetProperty("filters").GetInt32(), spec.GetProperty("kernel").GetInt32(), stride: spec.GetProperty("stride").GetInt32(), padding: padding),
            "BatchNormalization" => Estimators.Layer.BatchNormalization(spec.GetProperty("momentum").GetDouble(), spec.GetProperty("epsilon").GetDouble()),
            var other => throw new InvalidDataException(other),
        };
    }

    private static void Close(double[] expected, Tensor actual, string what) =>
        GoldenArrays.CloseToScale(expected, actual.contiguous().data<float>().ToArray(), Tolerance, what);

    private static JsonElement Golden() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "convnets", "conv_layers.json"))).RootElement.GetProperty("cases");
}
