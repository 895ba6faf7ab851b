using Mlx.Core.Numerics;
using Xunit;

namespace Mlx.Core.Tests.Numerics;

public class PreciseMathTests
{
    [Theory]
    [InlineData(1e-12)]
    [InlineData(-3e-9)]
    [InlineData(1e-5)]
    public void Expm1_and_log1p_keep_full_precision_near_zero(double x)
    {
        // Taylor series to 4 terms is exact to double precision at these magnitudes.
        double expm1 = x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24;
        double log1p = x - x * x / 2 + x * x * x / 3 - x * x * x * x / 4;
        Assert.Equal(expm1, PreciseMath.Expm1(x), Math.Abs(expm1) * 1e-15);
        Assert.Equal(log1p, PreciseMath.Log1p(x), Math.Abs(log1p) * 1e-15);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-2.0)]
    [InlineData(30.0)]
    public void Expm1_and_log1p_agree_with_exp_and_log_away_from_zero(double x)
    {
        Assert.Equal(Math.Exp(x) - 1, PreciseMath.Expm1(x), Math.Abs(Math.Exp(x) - 1) * 1e-14);
        if (x > -1)
            Assert.Equal(Math.Log(1 + x), PreciseMath.Log1p(x), Math.Abs(Math.Log(1 + x)) * 1e-14);
    }

    [Fact]
    public void Extremes_do_not_produce_NaN()
    {
        Assert.Equal(double.PositiveInfinity, PreciseMath.Expm1(1000));
        Assert.Equal(-1.0, PreciseMath.Expm1(-1000));
        Assert.Equal(0.0, PreciseMath.Expm1(0));
        Assert.Equal(0.0, PreciseMath.Log1p(0));
    }
}
