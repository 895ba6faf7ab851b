using System.Numerics.Tensors;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.PowerTransforms;

/// <summary>
/// The Yeo-Johnson profile log-likelihood of one slot, as scikit-learn's
/// <c>_yeo_johnson_optimize</c>: <c>−n/2·ln var(ψ(x, λ)) + (λ − 1)·Σ sign(x)·ln(1 + |x|)</c>.
/// ln(1 + |x|) is computed once, split into the non-negative and negative values; each evaluation
/// reduces the two parts with SIMD and combines their moments.
/// </summary>
internal sealed class YeoJohnsonLikelihood : IPowerLikelihood
{
    private readonly double[] _positive; // ln(1 + x) for x >= 0
    private readonly double[] _negative; // ln(1 − x) for x < 0
    private readonly double _signedLogSum;

    /// <summary>numpy's <c>finfo(float64).tiny</c>: scikit-learn rejects λ whose transformed variance is below it.</summary>
    private const double TinyVariance = 2.2250738585072014E-308;

    public YeoJohnsonLikelihood(ReadOnlySpan<double> values)
    {
        int negatives = 0;
        foreach (var v in values)
        {
            if (v < 0)
                negatives++;
        }
        _positive = new double[values.Length - negatives];
        _negative = new double[negatives];
        int p = 0, n = 0;
        foreach (var v in values)
        {
            if (v >= 0)
                _positive[p++] = PreciseMath.Log1p(v);
            else
                _negative[n++] = PreciseMath.Log1p(-v);
        }
        _signedLogSum = TensorPrimitives.Sum<double>(_positive) - TensorPrimitives.Sum<double>(_negative);
    }

    public int Count => _positive.Length + _negative.Length;

    public double LogLikelihood(double lambda)
    {
        double variance = TransformedMoments(lambda).Variance;
        // As scikit-learn: a variance that is not positive and finite makes λ infeasible.
        if (!(variance >= TinyVariance) || double.IsInfinity(variance))
            return double.NegativeInfinity;
        return -Count / 2.0 * Math.Log(variance) + (lambda - 1.0) * _signedLogSum;
    }

    public Moments TransformedMoments(double lambda)
    {
        // x >= 0: ψ = (e^(λ·l) − 1)/λ, or l at λ = 0.
        Moments positive;
        if (Math.Abs(lambda) < PowerFunctions.LambdaEpsilon)
        {
            positive = BoxCoxLikelihood.MomentsOf(_positive, 1.0, 0.0, exp: false);
        }
        else
        {
            var e = BoxCoxLikelihood.MomentsOf(_positive, lambda, 0.0, exp: true);
            positive = new Moments(e.Count, (e.Mean - 1.0) / lambda, e.M2 / (lambda * lambda));
        }

        // x < 0: ψ = −(e^((2 − λ)·m) − 1)/(2 − λ), or −m at λ = 2.
        Moments negative;
        double p = 2.0 - lambda;
        if (Math.Abs(p) < PowerFunctions.LambdaEpsilon)
        {
            var m = BoxCoxLikelihood.MomentsOf(_negative, 1.0, 0.0, exp: false);
            negative = new Moments(m.Count, -m.Mean, m.M2);
        }
        else
        {
            var e = BoxCoxLikelihood.MomentsOf(_negative, p, 0.0, exp: true);
            negative = new Moments(e.Count, -(e.Mean - 1.0) / p, e.M2 / (p * p));
        }
        return Moments.Combine(positive, negative);
    }
}
