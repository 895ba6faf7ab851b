namespace Mlx.Workflow;

/// <summary>A candidate's validation results over the protocol's folds.</summary>
/// <param name="Spec">The configuration.</param>
/// <param name="Mean">Mean of the success metric over the folds.</param>
/// <param name="StandardDeviation">Its sample standard deviation (0 for one fold).</param>
/// <param name="TrainingMean">Mean of the metric on the folds' training rows (the gap to <paramref name="Mean"/> shows overfitting).</param>
/// <param name="FoldValues">The metric per fold.</param>
/// <param name="Seconds">Wall time of all its fits.</param>
/// <param name="BestEpoch">Networks: mean epoch of the lowest validation loss (the epochs to retrain with).</param>
/// <param name="Overfits">Networks: the validation loss rose while the training loss fell (early stopping ended most folds).</param>
/// <param name="Curve">Networks: per-epoch training and validation loss of the first fold.</param>
public sealed record CandidateResult(CandidateSpec Spec, double Mean, double StandardDeviation, double TrainingMean, IReadOnlyList<double> FoldValues, double Seconds,
    int? BestEpoch, bool Overfits, IReadOnlyList<CurvePoint> Curve)
{
    /// <summary>Whether it beat the baseline.</summary>
    public bool BeatsBaseline { get; init; }

    /// <summary>Boosted trees: mean boosting round of the best validation loss (the rounds to retrain with).</summary>
    public int? BestRounds { get; init; }

    /// <summary>Epochs (networks) or boosting rounds (trees) run over all folds: with <see cref="Seconds"/>, the measured throughput the budget's estimates use.</summary>
    public int Iterations { get; init; }
}

/// <summary>One epoch of a network's training curve.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Training loss.</param>
/// <param name="ValidationLoss">Validation loss.</param>
/// <param name="Metric">Training metric (accuracy or MAE).</param>
/// <param name="ValidationMetric">Validation metric.</param>
public sealed record CurvePoint(int Epoch, double Loss, double? ValidationLoss, double Metric, double? ValidationMetric);
