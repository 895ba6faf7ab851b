namespace Mlx.Estimators;

/// <summary>
/// One layer of a network's hidden stack, described (not built): the trainer builds the TorchSharp modules once it
/// knows the input shape, inferring each layer's output shape in one pass, and appends the output layer the task needs
/// (Keras' last Dense with its activation and loss). Saved models store these descriptions with the weights. Each
/// kind of layer is one file: its description, shape inference and build, and its saved form.
/// </summary>
public abstract record Layer
{
    private protected Layer()
    {
    }

    /// <summary>The Keras class name (Dense, Conv2D, ...), as <see cref="NeuralNetworkModel.Summary"/> prints it.</summary>
    public abstract string Name { get; }

    /// <summary>Checks the incoming shape (<see cref="LayerBuild.Shape"/>), adds the layer's modules and sets the outgoing shape.</summary>
    internal abstract void Build(LayerBuild build);

    /// <summary>The layer's saved form: its kind (see <see cref="LayerFormat"/>) and its fields.</summary>
    internal abstract void Write(BinaryWriter writer);

    /// <summary>A fully connected layer (Keras <c>Dense</c>): Glorot-uniform weights, zero bias. Takes a flat (1-D) input.</summary>
    /// <param name="units">Output size.</param>
    /// <param name="activation">Activation after the affine map.</param>
    /// <param name="regularizer">Penalty on the weight matrix.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    public static DenseLayer Dense(int units, Activation activation = Activation.Linear, Regularizer? regularizer = null, bool useBias = true) =>
        units > 0 ? new DenseLayer(units, activation, regularizer, useBias) : throw new ArgumentOutOfRangeException(nameof(units), units, "A dense layer needs at least one unit.");

    /// <summary>Dropout (Keras <c>Dropout</c>): zeroes each input with probability <paramref name="rate"/> during training only, scaling the rest by 1/(1 − rate).</summary>
    public static DropoutLayer Dropout(double rate) =>
        rate >= 0 && rate < 1 ? new DropoutLayer(rate) : throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");

    /// <summary>Flattens (channels, height, width) into one vector in that order (Keras <c>Flatten</c> on channels-first data).</summary>
    public static FlattenLayer Flatten() => new();

    /// <summary>
    /// A 2-D convolution (Keras <c>Conv2D</c>, channels first) with a square kernel: Glorot-uniform kernel, zero bias.
    /// </summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="activation">Activation after the convolution.</param>
    /// <param name="stride">Step of the kernel along both axes.</param>
    /// <param name="padding">Valid (no padding) or Same (Keras' padding: the odd pixel goes bottom/right).</param>
    /// <param name="regularizer">Penalty on the kernel.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    public static Conv2DLayer Conv2D(int filters, int kernelSize, Activation activation = Activation.Linear, int stride = 1, Padding padding = Padding.Valid,
        Regularizer? regularizer = null, bool useBias = true) =>
        Conv2D(filters, kernelSize, kernelSize, activation, stride, padding, regularizer, useBias);

    /// <summary>A 2-D convolution with a <paramref name="kernelHeight"/> × <paramref name="kernelWidth"/> kernel; see the square overload.</summary>
    public static Conv2DLayer Conv2D(int filters, int kernelHeight, int kernelWidth, Activation activation = Activation.Linear, int stride = 1,
        Padding padding = Padding.Valid, Regularizer? regularizer = null, bool useBias = true)
    {
        if (filters < 1)
            throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");
        if (kernelHeight < 1 || kernelWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelHeight), $"{kernelHeight}x{kernelWidth}", "Kernel sizes must be at least 1.");
        if (stride < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
        return new Conv2DLayer(filters, kernelHeight, kernelWidth, activation, stride, padding, regularizer, useBias);
    }

    /// <summary>Max pooling (Keras <c>MaxPooling2D</c>): the largest value of each window; Same padding never picks a padded value.</summary>
    /// <param name="poolSize">Window height and width.</param>
    /// <param name="stride">Step of the window; by default the pool size.</param>
    /// <param name="padding">Valid or Same.</param>
    public static Pool2DLayer MaxPool2D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid) =>
        Pool(PoolKind.Max, poolSize, stride, padding);

    /// <summary>Average pooling (Keras <c>AveragePooling2D</c>); with Same padding each window averages its real pixels only.</summary>
    /// <param name="poolSize">Window height and width.</param>
    /// <param name="stride">Step of the window; by default the pool size.</param>
    /// <param name="padding">Valid or Same.</param>
    public static Pool2DLayer AveragePool2D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid) =>
        Pool(PoolKind.Average, poolSize, stride, padding);

    /// <summary>The mean of each channel over height and width (Keras <c>GlobalAveragePooling2D</c>): (C, H, W) → (C).</summary>
    public static GlobalPool2DLayer GlobalAveragePool2D() => new(PoolKind.Average);

    /// <summary>The largest value of each channel (Keras <c>GlobalMaxPooling2D</c>): (C, H, W) → (C).</summary>
    public static GlobalPool2DLayer GlobalMaxPool2D() => new(PoolKind.Max);

    private static Pool2DLayer Pool(PoolKind kind, int poolSize, int? stride, Padding padding)
    {
        if (poolSize < 1)
            throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, "The pool size must be at least 1.");
        if (stride is < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
        return new Pool2DLayer(kind, poolSize, stride ?? poolSize, padding);
    }
}

/// <summary>Max or average.</summary>
public enum PoolKind
{
    /// <summary>The largest value.</summary>
    Max = 0,

    /// <summary>The mean.</summary>
    Average = 1,
}
