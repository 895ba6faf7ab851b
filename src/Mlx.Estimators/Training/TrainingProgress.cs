namespace Mlx.Estimators;

/// <summary>Progress of a training run, sent to the options' callback after each batch and each epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Planned epochs.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The running mean loss of the epoch so far.</param>
/// <param name="EpochEnd">The finished epoch's record at the end of an epoch, else null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, EpochRecord? EpochEnd);
