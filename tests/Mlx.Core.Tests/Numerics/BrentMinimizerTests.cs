using Mlx.Core.Numerics;
using Xunit;

namespace Mlx.Core.Tests.Numerics;

/// <summary>
/// BrentMinimizer follows scipy.optimize.brent step for step. References: scipy 1.10.1,
/// <c>optimize.brent(f, brack=(-2, 2), full_output=True)</c> → (xmin, fval, iterations, evaluations).
/// </summary>
public class BrentMinimizerTests
{
    public static TheoryData<string, double, double, int, int> Scipy => new()
    {
        { "quadratic", 0.30000000890000017, 1.0, 23, 26 },
        { "quartic_far", 8.500000042320876, -0.9999999999999929, 15, 20 },
        { "cosh_shift", -3.1999999828405814, 1.0000000000000002, 8, 11 },
        { "abs_kink", 1.2339999909311166, 9.068883422003182e-09, 24, 27 },
    };

    private static double F(string name, double x) => name switch
    {
        "quadratic" => (x - 0.3) * (x - 0.3) + 1.0,
        "quartic_far" => Math.Pow(x - 7.5, 4) - 2 * Math.Pow(x - 7.5, 2),
        "cosh_shift" => Math.Cosh(x + 3.2),
        "abs_kink" => Math.Abs(x - 1.234),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Scipy))]
    public void Takes_the_same_steps_as_scipy(string name, double x, double value, int iterations, int evaluations)
    {
        var result = BrentMinimizer.Minimize(v => F(name, v));
        // Same path: same iteration and evaluation counts, same abscissa to the last few bits.
        Assert.Equal(iterations, result.Iterations);
        Assert.Equal(evaluations, result.Evaluations);
        Assert.Equal(x, result.X, 1e-12);
        Assert.Equal(value, result.Value, 1e-12);
    }

    [Fact]
    public void Unbounded_objective_fails_clearly()
    {
        var e = Assert.Throws<InvalidOperationException>(() => BrentMinimizer.Minimize(x => -x));
        Assert.Contains("decreases without bound", e.Message);
    }
}
