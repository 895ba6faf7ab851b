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

/// <summary>MKL's kernel choice on AMD CPUs with AVX-512 (see <see cref="MklVendorDispatch"/>).</summary>
public class MklVendorDispatchTests
{
    [Fact]
    public void Matrix_products_equal_a_double_precision_product_whatever_kernels_MKL_runs()
    {
        TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        // The 784-512-10 network's three GEMM shapes (forward, weight gradient, input gradient).
        var random = new Random(3);
        float[] x = Values(random, 128 * 784), w = Values(random, 512 * 784), g = Values(random, 128 * 512);
        var xt = torch.tensor(x, 128, 784);
        var wt = torch.tensor(w, 512, 784);
        var gt = torch.tensor(g, 128, 512);
        AssertProduct(xt.matmul(wt.t()), (i, j) => Dot(k => x[i * 784 + k] * (double)w[j * 784 + k], 784), 128, 512);
        AssertProduct(gt.t().matmul(xt), (i, j) => Dot(k => g[k * 512 + i] * (double)x[k * 784 + j], 128), 512, 784);
        AssertProduct(gt.matmul(wt), (i, j) => Dot(k => g[i * 512 + k] * (double)w[k * 784 + j], 512), 128, 784);
    }

    [LinuxFact]
    public void Status_says_whether_the_AVX512_kernels_are_enabled_on_this_CPU()
    {
        TorchRuntime.EnsureAvailable();
        bool amdWithAvx512 = System.Runtime.Intrinsics.X86.Avx512BW.IsSupported && IsAmd();
        if (!amdWithAvx512)
            Assert.Equal(MklDispatchStatus.NotApplicable, MklVendorDispatch.Status);
        else if (Environment.GetEnvironmentVariable(MklVendorDispatch.EnvironmentVariable) == "0")
            Assert.Equal(MklDispatchStatus.Disabled, MklVendorDispatch.Status);
        else
            Assert.Equal(MklDispatchStatus.Enabled, MklVendorDispatch.Status); // libtorch 2.10's MKL, as pinned
        Assert.Contains(MklVendorDispatch.Status.ToString(), TorchRuntime.EnsureAvailable());
    }

    private static bool IsAmd() => File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("vendor_id") && l.Contains("AuthenticAMD"));

    private static float[] Values(Random random, int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() * 2 - 1).ToArray();

    private static double Dot(Func<int, double> term, int n)
    {
        double sum = 0;
        for (int k = 0; k < n; k++)
            sum += term(k);
        return sum;
    }

    private static void AssertProduct(torch.Tensor product, Func<int, int, double> expected, int rows, int columns)
    {
        var actual = product.data<float>().ToArray();
        // float32 accumulation over ≤ 784 terms of magnitude ≤ 1: error well below 1e-4 absolute.
        for (int i = 0; i < rows; i += 7)
            for (int j = 0; j < columns; j += 5)
                Assert.True(Math.Abs(actual[i * columns + j] - expected(i, j)) < 1e-4, $"[{i},{j}]: {actual[i * columns + j]} vs {expected(i, j)}");
    }
}

/// <summary>C# work on libtorch's OpenMP team: every thread runs its share once, and a failure reaches the caller.</summary>
public class OpenMpTeamTests
{
    private sealed class Recorder : IParallelBody
    {
        public readonly int[] Calls = new int[8];
        public int Threads;
        public int? FailOn;

        public void Execute(int thread, int threads)
        {
            Interlocked.Increment(ref Calls[thread]);
            Threads = threads;
            if (thread == FailOn)
                throw new InvalidOperationException($"thread {thread} failed");
        }
    }

    [LinuxFact]
    public void Each_thread_of_the_team_runs_the_body_once()
    {
        TorchRuntime.EnsureAvailable();
        Assert.True(OpenMpTeam.IsAvailable, "libtorch's GOMP_parallel was not found");
        int threads = TorchRuntime.Threads;
        try
        {
            foreach (int n in new[] { 1, 2 })
            {
                TorchRuntime.SetThreads(n);
                var body = new Recorder();
                OpenMpTeam.Run(body);
                Assert.Equal(n, body.Threads);
                Assert.Equal(Enumerable.Repeat(1, n).Concat(Enumerable.Repeat(0, 8 - n)), body.Calls);
            }
        }
        finally
        {
            TorchRuntime.SetThreads(threads);
        }
    }

    [LinuxFact]
    public void An_exception_on_a_worker_thread_is_rethrown_on_the_caller()
    {
        TorchRuntime.EnsureAvailable();
        int threads = TorchRuntime.Threads;
        try
        {
            TorchRuntime.SetThreads(2);
            var body = new Recorder { FailOn = 1 };
            var error = Assert.Throws<InvalidOperationException>(() => OpenMpTeam.Run(body));
            Assert.Equal("thread 1 failed", error.Message);
            Assert.Equal(1, body.Calls[0]); // the caller's share ran too
            // The team still works afterwards.
            var next = new Recorder();
            OpenMpTeam.Run(next);
            Assert.Equal(new[] { 1, 1 }, next.Calls.Take(2));
        }
        finally
        {
            TorchRuntime.SetThreads(threads);
        }
    }
}

/// <summary>One status object says which native tunings are active; one variable turns them all off (checked in a new process).</summary>
public class NativeTuningTests
{
    [LinuxFact]
    public void Every_tuning_is_on_here_and_the_page_size_is_the_systems()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Epochs = 1, Seed = 1, Threads = 1 }).Fit(Trainers.Datasets.Wine(ml));
        var status = NativeTuning.Status;
        Assert.False(status.OptedOut);
        Assert.True(status.DenormalFlushing);
        Assert.True(status.MklReproducible);
        Assert.True(status.OpenMpTeam);
        Assert.Equal(Environment.ProcessorCount > 1, status.PagePrefaulting);
        Assert.Equal(Environment.SystemPageSize, status.PageSize);
        Assert.True(status.HeapReuse);
        Assert.True(status.HugePages);
        Assert.Contains("denormal flushing on", NativeTuning.Describe());
        Assert.Contains("huge pages for large tensors on", NativeTuning.Describe());
    }

    [Fact]
    public void The_opt_out_turns_every_tuning_off()
    {
        var (exitCode, output) = Mlx.TestSupport.ModelRoundTrip.RunHost(new[] { "--native-tuning" }, new Dictionary<string, string> { [NativeTuning.OptOutVariable] = "0" });
        Assert.True(exitCode == 0, output);
        Assert.Contains($"(all off: {NativeTuning.OptOutVariable}=0)", output);
        Assert.Contains("denormal flushing off", output);
        Assert.Contains("MKL AVX-512 on AMD " + (MklVendorDispatch.Status == MklDispatchStatus.NotApplicable ? "NotApplicable" : "Disabled"), output);
        Assert.Contains("MKL reproducible mode off", output);
        Assert.Contains("OpenMP team off", output);
        Assert.Contains("page prefaulting off", output);
        Assert.Contains("heap reuse of freed tensors off", output);
        Assert.Contains("huge pages for large tensors off", output);
    }
}
