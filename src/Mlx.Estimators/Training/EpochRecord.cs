namespace Mlx.Estimators;

/// <summary>One epoch of training: losses and metric (accuracy for classification, mean absolute error for regression).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss over the epoch's batches (penalties included, as Keras reports it).</param>
/// <param name="Metric">Training accuracy or MAE over the epoch.</param>
/// <param name="ValidationLoss">Loss on the validation data (null without validation).</param>
/// <param name="ValidationMetric">Accuracy or MAE on the validation data.</param>
/// <param name="LearningRate">The learning rate used in the epoch.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
public sealed record EpochRecord(int Epoch, double Loss, double Metric, double? ValidationLoss, double? ValidationMetric, double LearningRate, double Seconds);
