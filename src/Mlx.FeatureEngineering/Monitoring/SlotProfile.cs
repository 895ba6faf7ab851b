namespace Mlx.FeatureEngineering;

/// <summary>
/// One slot of a <see cref="FeatureProfile"/>: its name, missing rate, bin edges (quantiles of the reference) and the
/// reference's share per bin, a few quantiles, and the sorted reference sample the Kolmogorov–Smirnov test reads.
/// </summary>
public sealed class SlotProfile
{
    /// <summary>Slot name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Share of rows with no value (NaN).</summary>
    public double MissingRate { get; init; }

    /// <summary>Cut points of the bins (quantiles of the reference, duplicates dropped).</summary>
    public double[] Edges { get; init; } = [];

    /// <summary>The reference's share of values per bin (<see cref="Edges"/>.Length + 1 bins).</summary>
    public double[] Shares { get; init; } = [];

    /// <summary>Minimum, 5 %, 25 %, 50 %, 75 %, 95 % and maximum of the reference sample.</summary>
    public double[] Quantiles { get; init; } = [];

    /// <summary>The reference values kept (all of them up to the sample size, else a uniform sample), sorted.</summary>
    public float[] Sample { get; init; } = [];
}
