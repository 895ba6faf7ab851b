namespace Mlx.FeatureEngineering;

/// <summary>One subset a wrapper search tried: its slots, the metric's mean and standard deviation over the folds, and when.</summary>
/// <param name="Slots">The subset, slots in increasing order.</param>
/// <param name="Mean">The metric's mean over the folds.</param>
/// <param name="StandardDeviation">Its sample standard deviation over the folds.</param>
/// <param name="Evaluation">1-based number of the evaluation in the search.</param>
public sealed record SubsetEvaluation(IReadOnlyList<int> Slots, double Mean, double StandardDeviation, int Evaluation);
