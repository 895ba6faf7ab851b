using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Estimators.Tests.Training;

/// <summary>
/// The in-place optimisers take the same steps as TorchSharp's own implementations of the same rules (an
/// independent implementation): 25 steps on a small network with random data, weights equal to 1e-5.
/// </summary>
public class ParameterUpdateTests
{
    public static TheoryData<string> Optimizers => new() { "sgd", "sgd-momentum", "sgd-nesterov", "adagrad", "rmsprop", "rmsprop-momentum", "adam" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Steps_match_TorchSharp(string name)
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var spec = name switch
        {
            "sgd" => Optimizer.Sgd(0.05),
            "sgd-momentum" => Optimizer.Sgd(0.05, momentum: 0.9),
            "sgd-nesterov" => Optimizer.Sgd(0.05, momentum: 0.9, nesterov: true),
            "adagrad" => Optimizer.Adagrad(0.05),
            "rmsprop" => Optimizer.RmsProp(0.01),
            "rmsprop-momentum" => Optimizer.RmsProp(0.01, momentum: 0.5),
            _ => Optimizer.Adam(0.01),
        };
        random.manual_seed(11);
        var x = randn(64, 6);
        var y = randn(64, 1);
        var ours = NetworkBuilder.Build(6, new Layer[] { Layer.Dense(8, Activation.Tanh) }, 1).Module;
        var theirs = NetworkBuilder.Build(6, new Layer[] { Layer.Dense(8, Activation.Tanh) }, 1).Module;
        theirs.load_state_dict(ours.state_dict());
        using var update = spec.CreateUpdate(ours.parameters());
        using var reference = spec.CreateTorchSharp(theirs.parameters());
        for (int step = 0; step < 25; step++)
        {
            update.ZeroGradients();
            nn.functional.mse_loss(ours.forward(x), y).backward();
            update.Step();
            reference.zero_grad();
            nn.functional.mse_loss(theirs.forward(x), y).backward();
            reference.step();
        }
        var a = ours.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var b = theirs.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5, $"{name}: weight {i} {a[i]} vs TorchSharp {b[i]}");
        // And they moved: the update did something.
        Assert.Contains(a.Zip(NetworkBuilder.Build(6, new Layer[] { Layer.Dense(8, Activation.Tanh) }, 1).Module.parameters().SelectMany(p => p.data<float>().ToArray())), p => p.First != p.Second);
    }
}
