using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Compatibility;

/// <summary>Network models saved by the ML.NET 5.0.1 build load and score today: bit for bit on the machine that saved them, within SavedModelFixtures.KernelTolerance on another CPU (libtorch/ONNX Runtime pick kernels by instruction set).</summary>
public class SavedModelCompatibilityTests
{
    [Theory]
    [InlineData("neural_network")]
    public void Model_saved_by_an_earlier_build_scores_identically(string name)
    {
        foreach (var version in SavedModelFixtures.Versions)
            SavedModelFixtures.AssertLoadsAndScoresIdentically(version, name, nativeKernels: true);
    }
}
