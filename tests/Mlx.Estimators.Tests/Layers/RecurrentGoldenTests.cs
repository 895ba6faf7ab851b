using System.Text.Json;
using Mlx.TestSupport;
using static Mlx.TestSupport.GoldenArrays;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Estimators.Tests.Layers;

/// <summary>
/// SimpleRNN, LSTM, GRU and Bidirectional layers against tests/golden/recurrent/recurrent.json (make_recurrent_golden.py:
/// PyTorch float64 — its fused modules, each padded row run alone on its real steps, and torch cells stepped with Keras'
/// masks): outputs and the gradients of sum(output × cotangent) with respect to the input and every weight, with the
/// fused kernels and with Mlx's own step loop, for last-step and sequence outputs, padding masks, masks with holes and
/// per-sequence dropout masks. float32 against float64: 2e-5 relative to the largest value of each array.
/// </summary>
public class RecurrentGoldenTests
{
    private const double Tolerance = 2e-5;

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in Golden().EnumerateObject())
        {
            data.Add(c.Name, false);
            if (!c.Value.TryGetProperty("recurrent_dropout", out _))
                data.Add(c.Name, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_PyTorch(string name, bool stepLoop)
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var c = Golden().GetProperty(name);
        var layer = Layer(c);
        var shape = Ints(c.GetProperty("input_shape"));
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var build = new LayerBuild(new Random(1), new Generator(1), modules, new List<(TorchSharp.Modules.Parameter, Regularizer)>()) { Shape = shape[1..] };
        var mask = c.TryGetProperty("mask", out var m) ? new SequenceMask() : null;
        build.Mask = mask;
        layer.Build(build);
        Assert.Equal(Ints(c.GetProperty("y_shape"))[1..], build.Shape);
        using var scope = NewDisposeScope();
        var module = modules.Single().Item2;
        var directions = module is BidirectionalModule b ? b.Directions : [(RecurrentModule)module];
        var parameters = module.parameters().ToArray();
        var expected = c.GetProperty("params").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, parameters.Length);
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
                parameters[i].copy_(tensor(Floats(expected[i])).reshape(parameters[i].shape));
        }
        bool dropout = c.TryGetProperty("recurrent_dropout", out _);
        foreach (var direction in directions)
        {
            direction.ForceStepLoop = stepLoop;
            if (dropout)
            {
                direction.FixedDropoutMasks = (tensor(Floats(c.GetProperty("input_mask"))).reshape(shape[0], shape[1]),
                    tensor(Floats(c.GetProperty("recurrent_mask"))).reshape(shape[0], layer is RecurrentLayer r ? r.Units : 0));
            }
        }
        module.train(dropout);
        if (mask != null)
            mask.Current = tensor(m.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetInt32() != 0)).ToArray(), [shape[0], shape[2]]);
        var x = tensor(Floats(c.GetProperty("x"))).reshape(shape.Select(d => (long)d).ToArray()).requires_grad_();
        var y = module.forward(x);
        Close(Doubles(c.GetProperty("y")), y, $"{name} output");
        (y * tensor(Floats(c.GetProperty("cotangent"))).reshape(y.shape)).sum().backward();
        Close(Doubles(c.GetProperty("grad_x")), x.grad!, $"{name} input gradient");
        var gradients = c.GetProperty("grad_params").EnumerateArray().ToArray();
        for (int i = 0; i < parameters.Length; i++)
            Close(Doubles(gradients[i]), parameters[i].grad!, $"{name} gradient of weight {i}");
    }

    [Fact]
    public void Recurrent_dropout_draws_one_mask_per_sequence_and_reuses_it_at_every_step()
    {
        // A SimpleRNN whose input term is zero and whose recurrent weight is the identity: hₜ = tanh(hₜ₋₁ · mask + b).
        // With one mask per sequence a dropped unit stays at tanh(b) at every step; a unit kept at step 1 is kept at all.
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var build = new LayerBuild(new Random(3), new Generator(3), modules, new List<(TorchSharp.Modules.Parameter, Regularizer)>()) { Shape = [2, 12] };
        Estimators.Layer.SimpleRnn(64, returnSequences: true, recurrentDropout: 0.5).Build(build);
        var module = (RecurrentModule)modules.Single().Item2;
        var (wIh, wHh, bIh, bHh) = module.CellWeights;
        using (no_grad())
        {
            wIh.zero_();
            wHh.copy_(eye(64));
            bIh.fill_(0.5f);
            bHh.zero_();
        }
        module.train();
        using var y = module.forward(zeros(8, 2, 12)); // (8, 64, 12)
        float floor = MathF.Tanh(0.5f);
        var values = y.contiguous().data<float>().ToArray();
        int dropped = 0;
        for (int row = 0; row < 8; row++)
        {
            for (int unit = 0; unit < 64; unit++)
            {
                var steps = values.AsSpan((row * 64 + unit) * 12, 12);
                bool droppedAtStep2 = Math.Abs(steps[1] - floor) < 1e-6;
                for (int t = 1; t < 12; t++)
                    Assert.Equal(droppedAtStep2, Math.Abs(steps[t] - floor) < 1e-6); // the same decision at every step
                dropped += droppedAtStep2 ? 1 : 0;
            }
        }
        Assert.InRange(dropped, 8 * 64 * 0.35, 8 * 64 * 0.65); // rate 0.5
    }

    [Theory]
    [InlineData("gru", 9, false)]
    [InlineData("gru", 16, true)]
    [InlineData("lstm", 9, true)]
    [InlineData("lstm", 16, true)]
    public void Mlx_kernels_equal_the_step_loop_on_a_large_padded_batch_split_in_parts(string cell, int units, bool recurrentDropout)
    {
        // The golden batch has 3 rows (one part); here 128 rows with lengths 0..20 run in two parts, and 9 units
        // exercise the columns beyond the vector width. The step loop is libtorch autograd over the same formulas. (The
        // LSTM runs Mlx's kernel only with recurrent dropout.)
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var mask = new SequenceMask();
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var build = new LayerBuild(new Random(5), new Generator(5), modules, new List<(TorchSharp.Modules.Parameter, Regularizer)>()) { Shape = [6, 20], Mask = mask };
        (cell == "gru" ? (Layer)Estimators.Layer.Gru(units, returnSequences: true, recurrentDropout: recurrentDropout ? 0.3 : 0)
            : Estimators.Layer.Lstm(units, returnSequences: true, recurrentDropout: recurrentDropout ? 0.3 : 0)).Build(build);
        var module = (RecurrentModule)modules.Single().Item2;
        var random = new Random(9);
        var lengths = Enumerable.Range(0, 128).Select(i => i == 3 ? 0 : random.Next(1, 21)).ToArray();
        using var scope = NewDisposeScope();
        mask.Current = tensor(lengths.SelectMany(l => Enumerable.Range(0, 20).Select(t => t < l)).ToArray(), [128, 20]);
        if (recurrentDropout)
            module.FixedDropoutMasks = (ones(128, 6), rand(128, units).ge(0.3).to_type(ScalarType.Float32).div(0.7));
        module.train(recurrentDropout);
        var x = randn(128, 6, 20);
        var cotangent = randn(128, units, 20);
        (float[] Output, float[][] Gradients) Run(bool stepLoop)
        {
            module.ForceStepLoop = stepLoop;
            module.zero_grad();
            var input = x.clone().requires_grad_();
            var y = module.forward(input);
            (y * cotangent).sum().backward();
            return (y.data<float>().ToArray(), [input.grad!.data<float>().ToArray(), .. module.parameters().Select(p => p.grad!.data<float>().ToArray())]);
        }
        var kernel = Run(false);
        var loop = Run(true);
        Assert.Equal(loop.Output.Length, kernel.Output.Length);
        for (int i = 0; i < loop.Output.Length; i++)
            Assert.True(Math.Abs(loop.Output[i] - kernel.Output[i]) <= 1e-5, $"output [{i}]: {kernel.Output[i]} vs {loop.Output[i]}");
        for (int g = 0; g < loop.Gradients.Length; g++)
        {
            double scale = loop.Gradients[g].Max(Math.Abs);
            for (int i = 0; i < loop.Gradients[g].Length; i++)
                Assert.True(Math.Abs(loop.Gradients[g][i] - kernel.Gradients[g][i]) <= 2e-5 * scale, $"gradient {g} [{i}]: {kernel.Gradients[g][i]} vs {loop.Gradients[g][i]}");
        }
    }

    private static Layer Layer(JsonElement c)
    {
        int units = c.GetProperty("units").GetInt32();
        bool sequences = c.GetProperty("return_sequences").GetBoolean();
        double dropout = c.TryGetProperty("dropout", out var d) ? d.GetDouble() : 0;
        double recurrent = c.TryGetProperty("recurrent_dropout", out var r) ? r.GetDouble() : 0;
        RecurrentLayer layer = c.GetProperty("cell").GetString() switch
        {
            "rnn" => Estimators.Layer.SimpleRnn(units, sequences, dropout, recurrent),
            "lstm" => Estimators.Layer.Lstm(units, sequences, dropout, recurrent),
            "gru" => Estimators.Layer.Gru(units, sequences, dropout, recurrent),
            var other => throw new InvalidDataException(other),
        };
        return c.GetProperty("bidirectional").GetBoolean() ? Estimators.Layer.Bidirectional(layer) : layer;
    }

    private static void Close(double[] expected, Tensor actual, string what) =>
        GoldenArrays.CloseToScale(expected, actual.contiguous().data<float>().ToArray(), Tolerance, what);

    private static JsonElement Golden() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "recurrent", "recurrent.json"))).RootElement;
}
