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

    /// <summary>
    /// Called when a <see cref="FineTuningPhase"/> starts, with the modules <see cref="Build"/> added: a layer holding frozen
    /// pretrained weights unfreezes the part its settings name. Other layers are always trainable: nothing to do.
    /// </summary>
    internal virtual void StartFineTuning(IReadOnlyList<TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> modules)
    {
    }

    /// <summary>
    /// Appends the layer's ONNX nodes (opset 13) after <see cref="OnnxExport.Current"/>, taking the modules
    /// <see cref="Build"/> added, in order, and sets the outgoing shape. A layer without an export says so.
    /// </summary>
    internal virtual void Export(OnnxExport export) =>
        throw new NotSupportedException($"{Name} layers cannot be exported to ONNX yet.");

    /// <summary>
    /// Whether a padding mask (from an <see cref="EmbeddingLayer"/> with <c>maskZero</c>) still describes this layer's
    /// output: true for the embedding, dropout and recurrent layers returning sequences. The mask reaches the recurrent
    /// layers up to the first layer that does not carry it (as in Keras, where e.g. a Conv1D ends it).
    /// </summary>
    internal virtual bool CarriesMask => false;

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

    /// <summary>
    /// Batch normalization over the channel axis (Keras <c>BatchNormalization</c>): learned scale and shift (γ = 1,
    /// β = 0 at first); moving statistics updated as moving = momentum·moving + (1 − momentum)·batch. The moving variance
    /// takes the batch's unbiased variance (PyTorch's rule; Keras takes the biased one, a factor n/(n − 1) per update).
    /// </summary>
    /// <param name="momentum">Weight of the old moving statistics (Keras' default 0.99).</param>
    /// <param name="epsilon">Added to the variance (Keras' default 1e-3).</param>
    public static BatchNormalizationLayer BatchNormalization(double momentum = 0.99, double epsilon = 1e-3) =>
        momentum is >= 0 and < 1 && epsilon > 0 ? new BatchNormalizationLayer(momentum, epsilon)
            : throw new ArgumentOutOfRangeException(nameof(momentum), $"momentum {momentum}, epsilon {epsilon}", "The momentum must be in [0, 1) and epsilon positive.");

    /// <summary>Drops whole feature maps during training (Keras <c>SpatialDropout2D</c>).</summary>
    public static SpatialDropout2DLayer SpatialDropout2D(double rate) =>
        rate >= 0 && rate < 1 ? new SpatialDropout2DLayer(rate) : throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");

    /// <summary>A depthwise separable convolution (Keras <c>SeparableConv2D</c>, depth multiplier 1).</summary>
    /// <param name="filters">Output channels of the pointwise (1×1) convolution.</param>
    /// <param name="kernelSize">Height and width of the depthwise kernel.</param>
    /// <param name="activation">Activation after the pointwise convolution.</param>
    /// <param name="stride">Step of the depthwise kernel.</param>
    /// <param name="padding">Valid or Same (Keras' rule).</param>
    /// <param name="useBias">Whether the pointwise convolution has a bias.</param>
    public static SeparableConv2DLayer SeparableConv2D(int filters, int kernelSize, Activation activation = Activation.Linear, int stride = 1,
        Padding padding = Padding.Valid, bool useBias = true)
    {
        if (filters < 1 || kernelSize < 1 || stride < 1)
            throw new ArgumentOutOfRangeException(nameof(filters), $"filters {filters}, kernel {kernelSize}, stride {stride}", "Filters, kernel size and stride must be at least 1.");
        return new SeparableConv2DLayer(filters, kernelSize, activation, stride, padding, useBias);
    }

    /// <summary>A 1-D convolution over (channels, length) examples (Keras <c>Conv1D</c>, channels first).</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Kernel length.</param>
    /// <param name="activation">Activation after the convolution.</param>
    /// <param name="stride">Step of the kernel.</param>
    /// <param name="padding">Valid or Same (the odd position at the end).</param>
    /// <param name="regularizer">Penalty on the kernel.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    public static Conv1DLayer Conv1D(int filters, int kernelSize, Activation activation = Activation.Linear, int stride = 1, Padding padding = Padding.Valid,
        Regularizer? regularizer = null, bool useBias = true)
    {
        if (filters < 1 || kernelSize < 1 || stride < 1)
            throw new ArgumentOutOfRangeException(nameof(filters), $"filters {filters}, kernel {kernelSize}, stride {stride}", "Filters, kernel size and stride must be at least 1.");
        return new Conv1DLayer(filters, kernelSize, activation, stride, padding, regularizer, useBias);
    }

    /// <summary>Max pooling over the length axis (Keras <c>MaxPooling1D</c>).</summary>
    public static Pool1DLayer MaxPool1D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid)
    {
        var p = Pool(PoolKind.Max, poolSize, stride, padding);
        return new Pool1DLayer(PoolKind.Max, p.PoolSize, p.Stride, padding);
    }

    /// <summary>Average pooling over the length axis (Keras <c>AveragePooling1D</c>).</summary>
    public static Pool1DLayer AveragePool1D(int poolSize = 2, int? stride = null, Padding padding = Padding.Valid)
    {
        var p = Pool(PoolKind.Average, poolSize, stride, padding);
        return new Pool1DLayer(PoolKind.Average, p.PoolSize, p.Stride, padding);
    }

    /// <summary>The largest value of each channel over the length (Keras <c>GlobalMaxPooling1D</c>): (C, L) → (C).</summary>
    public static GlobalPool1DLayer GlobalMaxPool1D() => new(PoolKind.Max);

    /// <summary>The mean of each channel over the length (Keras <c>GlobalAveragePooling1D</c>): (C, L) → (C).</summary>
    public static GlobalPool1DLayer GlobalAveragePool1D() => new(PoolKind.Average);

    /// <summary>
    /// Turns token ids into dense vectors (Keras <c>Embedding</c>): the first layer of a network whose feature column holds
    /// token ids (<c>VectorizeText</c>'s Int output, or a vector of Int32), giving (outputDimension, timesteps) sequences.
    /// Weights start uniform in ±0.05 (Keras) or at <paramref name="weights"/>.
    /// </summary>
    /// <param name="inputDimension">Number of ids (the largest id + 1; for VectorizeText its vocabulary size + 2).</param>
    /// <param name="outputDimension">Size of each vector.</param>
    /// <param name="maskZero">Whether id 0 is padding: recurrent layers after it skip those steps (their state carries over).</param>
    /// <param name="trainable">False keeps the vectors fixed (pretrained embeddings, book 6.1.3).</param>
    /// <param name="weights">Pretrained vectors, e.g. <see cref="EmbeddingWeights.FromGloveFile"/>.</param>
    public static EmbeddingLayer Embedding(int inputDimension, int outputDimension, bool maskZero = false, bool trainable = true, EmbeddingWeights? weights = null)
    {
        if (inputDimension < 1 || outputDimension < 1)
            throw new ArgumentOutOfRangeException(nameof(inputDimension), $"{inputDimension} × {outputDimension}", "An embedding needs at least one id and one dimension.");
        return new EmbeddingLayer(inputDimension, outputDimension, maskZero, trainable, weights);
    }

    /// <summary>A fully connected recurrent layer (Keras <c>SimpleRNN</c>, tanh).</summary>
    /// <param name="units">Output size.</param>
    /// <param name="returnSequences">Every step's output (units, timesteps), to stack another recurrent layer; else the last step's.</param>
    /// <param name="dropout">Keras' <c>dropout</c>: one mask per sequence on the inputs, reused at every step (training only).</param>
    /// <param name="recurrentDropout">Keras' <c>recurrent_dropout</c>: one mask per sequence on the previous output (training only).</param>
    public static SimpleRnnLayer SimpleRnn(int units, bool returnSequences = false, double dropout = 0, double recurrentDropout = 0) =>
        CheckRecurrent(new SimpleRnnLayer(units, returnSequences, dropout, recurrentDropout));

    /// <summary>Long short-term memory (Keras <c>LSTM</c>); see <see cref="SimpleRnn"/> for the arguments.</summary>
    public static LstmLayer Lstm(int units, bool returnSequences = false, double dropout = 0, double recurrentDropout = 0) =>
        CheckRecurrent(new LstmLayer(units, returnSequences, dropout, recurrentDropout));

    /// <summary>Gated recurrent unit (Keras 2's <c>GRU</c>, <c>reset_after = true</c>: PyTorch's GRU); see <see cref="SimpleRnn"/> for the arguments.</summary>
    public static GruLayer Gru(int units, bool returnSequences = false, double dropout = 0, double recurrentDropout = 0) =>
        CheckRecurrent(new GruLayer(units, returnSequences, dropout, recurrentDropout));

    /// <summary>Runs <paramref name="recurrent"/> over the sequence and a copy of it over the sequence reversed (Keras <c>Bidirectional</c>).</summary>
    /// <param name="recurrent">The layer (its settings, e.g. returnSequences, apply to both directions).</param>
    /// <param name="merge">How the two directions' outputs are combined.</param>
    public static BidirectionalLayer Bidirectional(RecurrentLayer recurrent, BidirectionalMerge merge = BidirectionalMerge.Concat)
    {
        ArgumentNullException.ThrowIfNull(recurrent);
        return Enum.IsDefined(merge) ? new BidirectionalLayer(recurrent, merge) : throw new ArgumentOutOfRangeException(nameof(merge), merge, "Unknown merge mode.");
    }

    private static T CheckRecurrent<T>(T layer) where T : RecurrentLayer
    {
        if (layer.Units < 1)
            throw new ArgumentOutOfRangeException("units", layer.Units, "A recurrent layer needs at least one unit.");
        if (layer.InputDropout is < 0 or >= 1 || layer.RecurrentDropout is < 0 or >= 1)
            throw new ArgumentOutOfRangeException("dropout", $"dropout {layer.InputDropout}, recurrent dropout {layer.RecurrentDropout}", "Dropout rates must be in [0, 1).");
        return layer;
    }

    private static Pool2DLayer Pool(PoolKind kind, int poolSize, int? stride, Padding padding)
    {
        if (poolSize < 1)
            throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, "The pool size must be at least 1.");
        if (stride is < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
        return new Pool2DLayer(kind, poolSize, stride ?? poolSize, padding);
    }
}
