using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering.PowerTransforms;

/// <summary>The profile log-likelihood of a power transform on one slot's values, and the moments of the transformed values.</summary>
internal interface IPowerLikelihood
{
    /// <summary>The number of values.</summary>
    int Count { get; }

    /// <summary>The log-likelihood at λ (the quantity Brent maximizes).</summary>
    double LogLikelihood(double lambda);

    /// <summary>Count, mean and M2 of the transformed values at λ (for standardization).</summary>
    Moments TransformedMoments(double lambda);
}
