using Mlx.TestSupport;
using Xunit;

namespace Mlx.Vision.Tests.Compatibility;

/// <summary>Image featurization models saved by the ML.NET 5.0.1 build load and score bit for bit today.</summary>
public class SavedModelCompatibilityTests
{
    [Theory]
    [InlineData("featurize_image")]
    public void Model_saved_by_an_earlier_build_scores_identically(string name)
    {
        foreach (var version in SavedModelFixtures.Versions)
            SavedModelFixtures.AssertLoadsAndScoresIdentically(version, name);
    }
}
