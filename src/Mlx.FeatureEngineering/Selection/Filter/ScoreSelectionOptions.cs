namespace Mlx.FeatureEngineering;

/// <summary>Options of <see cref="ScoreSelectionEstimator"/>. Set exactly one of <see cref="Count"/>, <see cref="Percentile"/>, <see cref="Threshold"/>.</summary>
public sealed class ScoreSelectionOptions
{
    /// <summary>The column to write: the kept slots.</summary>
    public required string OutputColumnName { get; init; }

    /// <summary>The known-size vector of Single to select from.</summary>
    public required string InputColumnName { get; init; }

    /// <summary>The label. Chi-square, ANOVA F and discrete-label mutual information use its distinct values as classes
    /// (key, text, Boolean or number); correlation and regression mutual information need a Single or Double label.</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The statistic.</summary>
    public FeatureScoring Scoring { get; init; } = FeatureScoring.ChiSquare;

    /// <summary>Keep the best <c>Count</c> slots.</summary>
    public int? Count { get; init; }

    /// <summary>Keep the best ⌊slots × Percentile / 100⌋ slots.</summary>
    public double? Percentile { get; init; }

    /// <summary>Keep slots scoring at least this.</summary>
    public double? Threshold { get; init; }

    /// <summary>Mutual information: treat the features as discrete (exact counts) rather than continuous (k-NN estimate).</summary>
    public bool DiscreteFeatures { get; init; }

    /// <summary>Mutual information: neighbours of the k-NN estimators (scikit-learn's n_neighbors).</summary>
    public int Neighbors { get; init; } = 3;

    /// <summary>Mutual information: seed of the 1e-10-scale jitter added to continuous data (scikit-learn's random_state).</summary>
    public int Seed { get; init; }
}
