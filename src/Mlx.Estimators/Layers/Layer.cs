namespace Mlx.Estimators;

/// <summary>
/// One layer of a network's hidden stack, described (not built): the trainer builds the TorchSharp modules
/// once it knows the input size, and appends the output layer the task needs (Keras' last Dense with its
/// activation and loss). Saved models store these descriptions with the weights.
/// </summary>
public abstract record Layer
{
    private protected Layer()
    {
    }

    /// <summary>A fully connected layer (Keras <c>Dense</c>): Glorot-uniform weights, zero bias.</summary>
    /// <param name="units">Output size.</param>
    /// <param name="activation">Activation after the affine map.</param>
    /// <param name="regularizer">Penalty on the weight matrix.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    public static DenseLayer Dense(int units, Activation activation = Activation.Linear, Regularizer? regularizer = null, bool useBias = true) =>
        units > 0 ? new DenseLayer(units, activation, regularizer, useBias) : throw new ArgumentOutOfRangeException(nameof(units), units, "A dense layer needs at least one unit.");

    /// <summary>Dropout (Keras <c>Dropout</c>): zeroes each input with probability <paramref name="rate"/> during training only, scaling the rest by 1/(1 − rate).</summary>
    public static DropoutLayer Dropout(double rate) =>
        rate >= 0 && rate < 1 ? new DropoutLayer(rate) : throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
}

/// <summary>A fully connected layer; see <see cref="Layer.Dense"/>.</summary>
public sealed record DenseLayer(int Units, Activation Activation, Regularizer? Regularizer, bool UseBias) : Layer;

/// <summary>A dropout layer; see <see cref="Layer.Dropout"/>.</summary>
public sealed record DropoutLayer(double Rate) : Layer;
