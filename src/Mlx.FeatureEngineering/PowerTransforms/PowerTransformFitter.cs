using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.PowerTransforms;

/// <summary>The fitted parameters of one slot.</summary>
/// <param name="Lambda">The maximum-likelihood λ.</param>
/// <param name="LogLikelihood">The log-likelihood at λ.</param>
/// <param name="Mean">The mean of the transformed values (0 when not standardizing).</param>
/// <param name="Scale">The standard deviation (ddof = 0) of the transformed values (1 when not standardizing).</param>
internal readonly record struct SlotFit(double Lambda, double LogLikelihood, double Mean, double Scale);

/// <summary>
/// Fits λ for one slot by maximum likelihood, with Brent's method bracketed from (−2, 2) as
/// scipy/scikit-learn do, then the standardization statistics. Pure numerics: the values are
/// already validated (finite, non-NaN, positive for Box-Cox, not constant).
/// </summary>
internal static class PowerTransformFitter
{
    public static SlotFit Fit(PowerTransformMethod method, ReadOnlySpan<double> values, bool standardize)
    {
        IPowerLikelihood likelihood = method == PowerTransformMethod.BoxCox
            ? new BoxCoxLikelihood(values)
            : new YeoJohnsonLikelihood(values);
        var optimum = BrentMinimizer.Minimize(lambda => -likelihood.LogLikelihood(lambda), -2.0, 2.0);
        double lambda = optimum.X;
        if (!standardize)
            return new SlotFit(lambda, -optimum.Value, 0.0, 1.0);

        var moments = likelihood.TransformedMoments(lambda);
        return new SlotFit(lambda, -optimum.Value, moments.Mean, ScaleOf(moments.Variance));
    }

    /// <summary>As scikit-learn's StandardScaler: a standard deviation below 10 machine epsilons becomes 1.</summary>
    private static double ScaleOf(double variance)
    {
        const double machineEpsilon = 2.220446049250313e-16;
        double scale = Math.Sqrt(variance);
        return scale < 10.0 * machineEpsilon || double.IsNaN(scale) ? 1.0 : scale;
    }
}
