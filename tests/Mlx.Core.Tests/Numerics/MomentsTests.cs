using Mlx.Core.Numerics;
using Xunit;

namespace Mlx.Core.Tests.Numerics;

public class MomentsTests
{
    [Fact]
    public void Chunked_moments_equal_the_two_pass_formula()
    {
        var random = new Random(3);
        // Large offset + small spread: the case where the naive E[x²] − E[x]² loses every digit.
        var values = Enumerable.Range(0, 10_001).Select(_ => 1e8 + random.NextDouble()).ToArray();
        // Exact reference: v − 1e8 is computed exactly, and the variance does not depend on the shift.
        var small = values.Select(v => v - 1e8).ToArray();
        double smallMean = small.Average();
        double mean = 1e8 + smallMean;
        double m2 = small.Sum(v => (v - smallMean) * (v - smallMean));

        var total = default(Moments);
        foreach (var chunk in values.Chunk(777))
            total = Moments.Combine(total, Moments.OfChunkInPlace(chunk.ToArray()));

        Assert.Equal(values.Length, total.Count);
        Assert.Equal(mean, total.Mean, 1e-6);
        // Rounding of 1e8-sized values bounds what any method can reach (~1e-9 relative); naive E[x²] − E[x]² is off by 100%.
        Assert.Equal(m2 / values.Length, total.Variance, 1e-8 * (m2 / values.Length));
    }

    [Fact]
    public void Empty_sets_combine_as_identity()
    {
        var a = Moments.OfChunkInPlace(new[] { 1.0, 3.0 });
        Assert.Equal(a, Moments.Combine(default, a));
        Assert.Equal(a, Moments.Combine(a, default));
        Assert.Equal(2.0, a.Mean);
        Assert.Equal(1.0, a.Variance);
        Assert.True(double.IsNaN(default(Moments).Variance));
    }
}
