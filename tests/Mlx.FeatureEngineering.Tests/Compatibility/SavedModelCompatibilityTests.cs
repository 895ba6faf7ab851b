using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Compatibility;

/// <summary>Feature-engineering models saved by the ML.NET 5.0.1 build load and score bit for bit today.</summary>
public class SavedModelCompatibilityTests
{
    [Theory]
    [InlineData("box_cox")]
    [InlineData("yeo_johnson")]
    [InlineData("discretize_kmeans")]
    [InlineData("discretize_quantile")]
    [InlineData("dummy_encoding")]
    [InlineData("log_exp")]
    [InlineData("pca")]
    [InlineData("lda")]
    [InlineData("select_by_score")]
    [InlineData("select_by_lasso")]
    public void Model_saved_by_an_earlier_build_scores_identically(string name)
    {
        foreach (var version in SavedModelFixtures.Versions)
            SavedModelFixtures.AssertLoadsAndScoresIdentically(version, name);
    }
}
