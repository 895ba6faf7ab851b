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

    /// <summary>
    /// A parameter large enough to be split over libtorch's threads (100,003 values: shares of whole cache lines
    /// plus a scalar tail) gets exactly the values of the fused kernel run on one thread over the whole span, and
    /// TorchSharp's implementation within 1e-5 after 5 steps.
    /// </summary>
    [Theory]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    public void A_large_parameter_split_over_threads_matches_one_thread_exactly(string name)
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        Assert.True(Mlx.Estimators.Runtime.OpenMpTeam.IsAvailable, "libtorch's OpenMP team was not found");
        int threads = Mlx.Estimators.Runtime.TorchRuntime.Threads;
        Mlx.Estimators.Runtime.TorchRuntime.SetThreads(2);
        try
        {
            const int N = 100_003;
            var spec = name switch { "adagrad" => Optimizer.Adagrad(0.05), "rmsprop" => Optimizer.RmsProp(0.01), _ => Optimizer.Adam(0.01) };
            random.manual_seed(3);
            var initial = randn(N);
            var gradients = Enumerable.Range(0, 5).Select(_ => randn(N)).ToArray();
            var ours = new TorchSharp.Modules.Parameter(initial.clone());
            var theirs = new TorchSharp.Modules.Parameter(initial.clone());
            using var update = spec.CreateUpdate(new[] { ours });
            using var reference = spec.CreateTorchSharp(new[] { theirs });
            // The same rule by hand on one thread, in float32: the kernels' own arithmetic over the whole span.
            var w = initial.data<float>().ToArray();
            var s1 = new float[N];
            var s2 = new float[N];
            if (name == "adagrad")
                Array.Fill(s1, 0.1f);
            for (int step = 1; step <= gradients.Length; step++)
            {
                var g = gradients[step - 1];
                ours.grad = g.clone();
                update.Step();
                theirs.grad = g.clone();
                reference.step();
                var gv = g.data<float>().ToArray();
                switch (name)
                {
                    case "adagrad":
                        FusedUpdateKernels.Adagrad(w, gv, s1, 0.05f, 1e-7f);
                        break;
                    case "rmsprop":
                        FusedUpdateKernels.RmsProp(w, gv, s1, 0.01f, 0.9f, 1e-7f);
                        break;
                    default:
                        double c1 = 1 - Math.Pow(0.9, step), c2 = 1 - Math.Pow(0.999, step);
                        FusedUpdateKernels.Adam(w, gv, s1, s2, (float)(0.01 / c1), 0.9f, 0.999f, (float)Math.Sqrt(c2), 1e-7f);
                        break;
                }
            }
            var a = ours.data<float>().ToArray();
            var b = theirs.data<float>().ToArray();
            for (int i = 0; i < N; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(w[i]), $"{name}: value {i}: {a[i]} split over threads vs {w[i]} on one thread");
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5, $"{name}: value {i}: {a[i]} vs TorchSharp {b[i]}");
            }
        }
        finally
        {
            Mlx.Estimators.Runtime.TorchRuntime.SetThreads(threads);
        }
    }
}
