using Xunit;

namespace Mlx.TestSupport;

/// <summary>Assertions with an explicit tolerance, reporting the worst element.</summary>
public static class Tolerance
{
    /// <summary>
    /// Asserts |actual − expected| ≤ relative·max(|expected|, floor) element by element
    /// (the floor keeps values near zero from demanding impossible relative precision).
    /// </summary>
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, double floor = 1.0, string what = "")
    {
        Assert.Equal(expected.Count, actual.Count);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Count; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(double.IsNaN(actual[i]), $"{what}[{i}]: expected NaN, got {actual[i]}");
                continue;
            }
            double err = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), floor);
            if (!(err <= worst))
            {
                worst = err;
                worstAt = i;
            }
        }
        if (!(worst <= relative))
            Assert.Fail($"{what}: worst relative error {worst:G3} at [{worstAt}] (expected {expected[worstAt]:R}, got {actual[worstAt]:R}); tolerance {relative:G3}");
    }
}
