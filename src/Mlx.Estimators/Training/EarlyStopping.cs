namespace Mlx.Estimators;

/// <summary>What early stopping and learning-rate reduction watch.</summary>
public enum Monitor
{
    /// <summary>Validation loss (lower is better); the default when there is validation data.</summary>
    ValidationLoss,
    /// <summary>Validation accuracy or MAE (accuracy: higher is better; MAE: lower).</summary>
    ValidationMetric,
    /// <summary>Training loss.</summary>
    Loss,
}

/// <summary>Keras' <c>EarlyStopping</c>: stop when the monitored value has not improved by <see cref="MinDelta"/> for <see cref="Patience"/> epochs.</summary>
public sealed record EarlyStopping
{
    /// <summary>The watched quantity.</summary>
    public Monitor Monitor { get; init; } = Monitor.ValidationLoss;

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; init; }

    /// <summary>Whether the model ends with the weights of its best epoch (else of its last).</summary>
    public bool RestoreBestWeights { get; init; } = true;
}

/// <summary>Keras' <c>ReduceLROnPlateau</c>: multiply the learning rate by <see cref="Factor"/> after <see cref="Patience"/> epochs without improvement.</summary>
public sealed record ReduceLearningRateOnPlateau
{
    /// <summary>The watched quantity.</summary>
    public Monitor Monitor { get; init; } = Monitor.ValidationLoss;

    /// <summary>Multiplier of the learning rate (below 1).</summary>
    public double Factor { get; init; } = 0.1;

    /// <summary>Epochs without improvement before reducing.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; init; } = 1e-4;

    /// <summary>The learning rate is never reduced below this.</summary>
    public double MinLearningRate { get; init; }
}
