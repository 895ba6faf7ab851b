namespace Mlx.Estimators;

/// <summary>
/// A second training phase after <see cref="NeuralNetworkOptions.Epochs"/>: the Keras fine-tuning recipe's "unfreeze the
/// top of the pretrained base and train jointly at a low learning rate". When it starts, each layer that holds frozen
/// pretrained weights unfreezes what its own settings say (e.g. the top blocks of a backbone), the best weights of the
/// first phase are kept (with early stopping), and a fresh optimizer runs for <see cref="Epochs"/> more epochs, numbered
/// from <see cref="NeuralNetworkOptions.Epochs"/> + 1. Early stopping and learning-rate reduction restart for the phase.
/// </summary>
public sealed class FineTuningPhase
{
    /// <summary>Epochs of the phase.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>The phase's optimizer; by default RMSProp at 1e-5, the book's fine-tuning rate.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.RmsProp(1e-5);
}
