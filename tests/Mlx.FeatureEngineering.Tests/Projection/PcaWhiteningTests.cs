using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Projection;

/// <summary>Whitening a zero-variance component would output NaN: PCA refuses at Fit, naming the component and the fix.</summary>
public class PcaWhiteningTests
{
    // Three slots on a plane: the third is the sum of the first two, so there are 2 dimensions of variance.
    private static double[][] Plane() => Enumerable.Range(0, 50).Select(i => new[] { Math.Sin(i), Math.Cos(i * 0.7), Math.Sin(i) + Math.Cos(i * 0.7) }).ToArray();

    [Fact]
    public void Whitening_a_zero_variance_component_fails_at_fit()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Plane());
        var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.ProjectToPrincipalComponentsExact("P", "Features", rank: 3, whiten: true).Fit(data));
        Assert.Contains("component 3 of 3 has zero variance", e.Message);
        Assert.Contains("Choose rank <= 2", e.Message);

        // Rank 2 whitens to unit variance (n - 1, as scikit-learn) with finite outputs; rank 3 without whitening is fine too.
        var whitened = DataViews.ReadVectors(ml.Transforms.ProjectToPrincipalComponentsExact("P", "Features", rank: 2, whiten: true).Fit(data).Transform(data), "P");
        for (int k = 0; k < 2; k++)
        {
            var column = whitened.Select(r => (double)r[k]).ToArray();
            double mean = column.Average();
            Assert.Equal(1.0, column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1), 1e-5);
        }
        var plain = DataViews.ReadVectors(ml.Transforms.ProjectToPrincipalComponentsExact("P", "Features", rank: 3).Fit(data).Transform(data), "P");
        Assert.All(plain, r => Assert.All(r, v => Assert.True(float.IsFinite(v))));
    }
}
