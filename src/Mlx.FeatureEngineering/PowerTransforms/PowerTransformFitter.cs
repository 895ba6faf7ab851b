using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.PowerTransforms;

/// <summary>The fitted parameters of one slot.</summary>
/// <param name="Lambda">The maximum-likelihood λ.</param>
/// <param name="LogLikelihood">The log-likelihood at λ.</param>
/// <param name="Mean">The mean of the transformed values (0 when not standardizing).</param>
/// <param name="Scale">The standard deviation (ddof = 0) of the transformed values (1 when not standardizing).</param>
/// <param name="Warning">Why λ could not be estimated (then λ = 1), or null.</param>
internal readonly record struct SlotFit(double Lambda, double LogLikelihood, double Mean, double Scale, string? Warning = null);

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
        double lambda = optimum.X, logLikelihood = -optimum.Value;
        string? warning = Unidentifiable(likelihood, lambda, logLikelihood) ?? Unrepresentable(method, values, lambda);
        if (warning != null)
        {
            lambda = FallbackLambda;
            logLikelihood = likelihood.LogLikelihood(lambda);
        }
        if (!standardize)
            return new SlotFit(lambda, logLikelihood, 0.0, 1.0, warning);

        var moments = likelihood.TransformedMoments(lambda);
        return new SlotFit(lambda, logLikelihood, moments.Mean, ScaleOf(moments.Variance), warning);
    }

    /// <summary>The λ used when the data do not determine one: a linear map (plain standardization when standardizing).</summary>
    internal const double FallbackLambda = 1.0;

    /// <summary>Within this distance of 0, the likelihood is probed at λ ± this distance; beyond it, at 2λ.</summary>
    internal const double ProbeDistance = 20.0;

    /// <summary>Half the 95 % quantile of χ²(1): λs whose log-likelihood is within this of the maximum are not rejected.</summary>
    private const double LikelihoodInterval = 1.920729410347062;

    /// <summary>
    /// Null when the maximum-likelihood λ is determined by the data; else why not. The profile likelihood of a slot whose
    /// values lie in a narrow band far from zero (calendar years 2006–2010 for Box-Cox) is nearly flat: it can rise without
    /// bound as λ → ±∞ or peak at an arbitrary λ, and Brent stops wherever rounding stops it. The test: the 95 % likelihood
    /// interval of λ still reaches λ ± 20 (|λ| &lt; 20) or 2λ (|λ| ≥ 20), or the optimum is not finite. Doubling λ is the
    /// scale-free probe for large λ: Yeo-Johnson on values of about 0.01 legitimately peaks at λ ≈ −170 (λ·x ≈ −1.7), and
    /// its likelihood falls off well before −340; on years, doubling λ changes nothing the data can see.
    /// </summary>
    private static string? Unidentifiable(IPowerLikelihood likelihood, double lambda, double logLikelihood)
    {
        if (!double.IsFinite(lambda) || !double.IsFinite(logLikelihood))
            return $"the likelihood of λ has no finite maximum (Brent stopped at λ = {Show(lambda)}, log-likelihood {Show(logLikelihood)}); λ = {FallbackLambda} (a linear map) is used";
        var probes = Math.Abs(lambda) < ProbeDistance ? new[] { lambda - ProbeDistance, lambda + ProbeDistance } : new[] { 2 * lambda };
        foreach (double probe in probes)
        {
            double at = likelihood.LogLikelihood(probe);
            if (at >= logLikelihood - LikelihoodInterval)
            {
                return $"the likelihood of λ is flat: λ = {Show(probe)} fits within {LikelihoodInterval:F2} of the maximum at λ = {Show(lambda)} " +
                       $"({Show(at)} vs {Show(logLikelihood)}), so the data do not determine λ (values in a narrow band far from zero, e.g. years); " +
                       $"λ = {FallbackLambda} (a linear map) is used";
            }
        }
        return null;
    }

    /// <summary>
    /// Null when ψ(x, λ) is a finite double over the slot's range; else why not. A narrow band far from zero can have a
    /// well-determined but huge λ (years 2006–2010 skewed towards recent years: λ ≈ 597, and 2010^597 overflows), whose
    /// transform would turn every value into ∞ or NaN.
    /// </summary>
    private static string? Unrepresentable(PowerTransformMethod method, ReadOnlySpan<double> values, double lambda)
    {
        double min = System.Numerics.Tensors.TensorPrimitives.Min(values), max = System.Numerics.Tensors.TensorPrimitives.Max(values);
        Func<double, double> psi = method == PowerTransformMethod.BoxCox ? x => PowerFunctions.BoxCox(x, lambda) : x => PowerFunctions.YeoJohnson(x, lambda);
        double low = psi(min), high = psi(max);
        if (double.IsFinite(low) && double.IsFinite(high) && double.IsFinite(high - low))
            return null;
        return $"the maximum-likelihood λ = {Show(lambda)} maps the slot's values ({Show(min)} to {Show(max)}) beyond the range of a double " +
               $"(ψ = {Show(low)} to {Show(high)}), so the transform would output infinities; λ = {FallbackLambda} (a linear map) is used";
    }

    private static string Show(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>As scikit-learn's StandardScaler: a standard deviation below 10 machine epsilons becomes 1.</summary>
    private static double ScaleOf(double variance)
    {
        const double machineEpsilon = 2.220446049250313e-16;
        double scale = Math.Sqrt(variance);
        return scale < 10.0 * machineEpsilon || double.IsNaN(scale) ? 1.0 : scale;
    }
}
