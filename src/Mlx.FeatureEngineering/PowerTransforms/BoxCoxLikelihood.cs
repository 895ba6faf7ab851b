using System.Numerics.Tensors;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.PowerTransforms;

/// <summary>
/// The Box-Cox profile log-likelihood of one slot, as <c>scipy.stats.boxcox_llf</c>:
/// <c>(λ − 1)·Σ ln x − n/2·ln var(x^λ/λ)</c>. ln x is computed once; each evaluation is one
/// SIMD pass of exp(λ·ln x) over L1-sized chunks, shifted by the largest exponent so it cannot overflow.
/// </summary>
internal sealed class BoxCoxLikelihood : IPowerLikelihood
{
    private const int Chunk = 2048;
    private readonly double[] _log;
    private readonly double _sumLog, _minLog, _maxLog;

    public BoxCoxLikelihood(ReadOnlySpan<double> positiveValues)
    {
        _log = new double[positiveValues.Length];
        TensorPrimitives.Log(positiveValues, _log);
        _sumLog = TensorPrimitives.Sum<double>(_log);
        _minLog = TensorPrimitives.Min<double>(_log);
        _maxLog = TensorPrimitives.Max<double>(_log);
    }

    public int Count => _log.Length;

    public double LogLikelihood(double lambda)
    {
        double logVariance;
        if (lambda == 0.0)
        {
            logVariance = Math.Log(MomentsOf(_log, 1.0, 0.0, exp: false).Variance);
        }
        else
        {
            // var(x^λ/λ) = e^(2·shift)·var(e^(λ ln x − shift))/λ², with shift = max λ·ln x.
            double shift = lambda > 0 ? lambda * _maxLog : lambda * _minLog;
            logVariance = Math.Log(MomentsOf(_log, lambda, -shift, exp: true).Variance) + 2.0 * shift - 2.0 * Math.Log(Math.Abs(lambda));
        }
        return (lambda - 1.0) * _sumLog - Count / 2.0 * logVariance;
    }

    public Moments TransformedMoments(double lambda)
    {
        if (Math.Abs(lambda) < PowerFunctions.LambdaEpsilon)
            return MomentsOf(_log, 1.0, 0.0, exp: false);
        // ψ = (e^(λ ln x) − 1)/λ = (e^shift·e^(λ ln x − shift) − 1)/λ.
        double shift = lambda > 0 ? lambda * _maxLog : lambda * _minLog;
        var e = MomentsOf(_log, lambda, -shift, exp: true);
        double scale = Math.Exp(shift) / lambda;
        return new Moments(e.Count, e.Mean * scale - 1.0 / lambda, e.M2 * scale * scale);
    }

    /// <summary>Moments of a·v + b (or of exp(a·v + b)) over <paramref name="values"/>.</summary>
    internal static Moments MomentsOf(ReadOnlySpan<double> values, double a, double b, bool exp)
    {
        Span<double> chunk = stackalloc double[Chunk];
        var total = default(Moments);
        for (int start = 0; start < values.Length; start += Chunk)
        {
            var source = values.Slice(start, Math.Min(Chunk, values.Length - start));
            var work = chunk[..source.Length];
            TensorPrimitives.Multiply(source, a, work);
            if (b != 0.0)
                TensorPrimitives.Add(work, b, work);
            if (exp)
                TensorPrimitives.Exp(work, work);
            total = Moments.Combine(total, Moments.OfChunkInPlace(work));
        }
        return total;
    }
}
