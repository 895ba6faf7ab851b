namespace Mlx.Core.Numerics;

/// <summary>
/// <c>expm1</c> and <c>log1p</c> accurate to full relative precision near zero
/// (.NET's <c>double.ExpM1</c>/<c>LogP1</c> compute <c>Exp(x) - 1</c> and <c>Log(x + 1)</c>).
/// </summary>
public static class PreciseMath
{
    /// <summary>e^x − 1, accurate for small |x| (Kahan's method).</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
            return x;
        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsInfinity(u))
            return um1;
        return um1 * x / Math.Log(u);
    }

    /// <summary>ln(1 + x), accurate for small |x| (Goldberg's method).</summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
            return x;
        if (double.IsInfinity(u))
            return u;
        return Math.Log(u) * x / (u - 1.0);
    }
}
