namespace Mlx.FeatureEngineering;

/// <summary>Options of <see cref="PowerTransformEstimator"/>.</summary>
public sealed class PowerTransformOptions
{
    /// <summary>The column to write.</summary>
    public required string OutputColumnName { get; init; }

    /// <summary>The column to read (Single or known-size vector of Single); defaults to <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; init; }

    /// <summary>Box-Cox or Yeo-Johnson.</summary>
    public PowerTransformMethod Method { get; init; } = PowerTransformMethod.YeoJohnson;

    /// <summary>Standardize the transformed values to zero mean and unit variance (scikit-learn's default is true; Mlx's catalog default is false).</summary>
    public bool Standardize { get; init; }

    /// <summary>How many slots are fitted in parallel; null uses every core. Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Receives progress while fitting (slots fitted so far out of the total).</summary>
    public IProgress<PowerTransformProgress>? Progress { get; init; }
}

/// <summary>Progress of a power-transform fit.</summary>
/// <param name="SlotsFitted">Slots whose λ is known.</param>
/// <param name="SlotCount">Slots in all.</param>
public readonly record struct PowerTransformProgress(int SlotsFitted, int SlotCount);
