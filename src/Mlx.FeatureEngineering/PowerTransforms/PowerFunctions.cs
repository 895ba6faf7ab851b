using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.PowerTransforms;

/// <summary>
/// The Box-Cox and Yeo-Johnson functions for one value and a given λ, as scipy's
/// <c>special.boxcox</c> and scikit-learn's <c>_yeo_johnson_transform</c>, with expm1/log1p
/// keeping full precision near λ = 0 and x = 0.
/// </summary>
internal static class PowerFunctions
{
    /// <summary>|λ| below this is treated as 0 (numpy's <c>spacing(1.0)</c>, as scikit-learn).</summary>
    public const double LambdaEpsilon = 2.220446049250313e-16;

    /// <summary>Box-Cox of a strictly positive x.</summary>
    public static double BoxCox(double x, double lambda) =>
        Math.Abs(lambda) < LambdaEpsilon ? Math.Log(x) : PreciseMath.Expm1(lambda * Math.Log(x)) / lambda;

    /// <summary>Yeo-Johnson of any finite x.</summary>
    public static double YeoJohnson(double x, double lambda)
    {
        if (x >= 0)
        {
            double l = PreciseMath.Log1p(x);
            return Math.Abs(lambda) < LambdaEpsilon ? l : PreciseMath.Expm1(lambda * l) / lambda;
        }
        double m = PreciseMath.Log1p(-x);
        double p = 2.0 - lambda;
        return Math.Abs(p) < LambdaEpsilon ? -m : -PreciseMath.Expm1(p * m) / p;
    }
}
