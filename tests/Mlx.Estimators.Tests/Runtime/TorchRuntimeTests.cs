using Mlx.Estimators.Runtime;
using TorchSharp;
using Xunit;

namespace Mlx.Estimators.Tests.Runtime;

/// <summary>Proves the native set-up on this machine (and CI): libtorch loads and computes.</summary>
public class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_loads_and_reports_its_version()
    {
        var description = TorchRuntime.EnsureAvailable();
        Assert.Contains("libtorch 2.10", description);
    }

    [Fact]
    public void Tensor_arithmetic_matches_closed_form()
    {
        TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        // [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]; sum of squares of 1..4 is 30.
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        var b = torch.tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, a.matmul(b).data<float>().ToArray());
        Assert.Equal(30f, a.pow(2).sum().item<float>());
    }

    [Fact]
    public void Autograd_gives_the_analytic_gradient()
    {
        TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        // d/dx sum(x^3) = 3x^2.
        var x = torch.tensor(new[] { 0.5, -2.0, 3.0 }, requires_grad: true);
        x.pow(3).sum().backward();
        Assert.Equal(new[] { 0.75, 12.0, 27.0 }, x.grad!.data<double>().ToArray());
    }

    [Fact]
    public void Thread_count_can_be_set()
    {
        int before = TorchRuntime.Threads;
        TorchRuntime.SetThreads(1);
        Assert.Equal(1, TorchRuntime.Threads);
        TorchRuntime.SetThreads(before);
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetThreads(0));
    }
}
