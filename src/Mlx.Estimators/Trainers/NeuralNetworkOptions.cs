using Microsoft.ML;

namespace Mlx.Estimators;

/// <summary>Options of the neural-network trainers (Keras' <c>compile</c> + <c>fit</c> arguments).</summary>
public sealed class NeuralNetworkOptions
{
    /// <summary>The label column (Boolean for binary, key for multiclass, Single for regression).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The features column: a known-size vector of Single (or a Single).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>An optional per-row weight column (Single, ≥ 0): the loss of each row is multiplied by it.</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>The hidden layers; the output layer is added for the task. Default: Dense(64, relu), Dense(64, relu).</summary>
    public IReadOnlyList<Layer> Layers { get; set; } = new Layer[] { Layer.Dense(64, Activation.Relu), Layer.Dense(64, Activation.Relu) };

    /// <summary>A penalty on the output layer's weights.</summary>
    public Regularizer? OutputRegularizer { get; set; }

    /// <summary>The optimiser (default RMSProp, lr 1e-3, as Keras).</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.RmsProp();

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>Rows per gradient step.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The last fraction of the rows held out for validation (Keras' <c>validation_split</c>: taken before shuffling).</summary>
    public double ValidationFraction { get; set; }

    /// <summary>Separate validation data (instead of <see cref="ValidationFraction"/>).</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>
    /// Read the training data batch by batch from the IDataView every epoch instead of holding it in memory as one tensor:
    /// for data larger than memory. Shuffling then relies on the data view (ML.NET shuffles data views that can, e.g.
    /// binary and text files or cached data; others are read in order). Validation needs <see cref="ValidationData"/>.
    /// </summary>
    public bool StreamFromDataView { get; set; }

    /// <summary>
    /// Whether the rows are held and fed as their non-zero values (bags of words, one-hot codes: memory and first-layer
    /// cost grow with the non-zeros, not the feature count) or as dense tensors. Default <see cref="Estimators.SparseInput.Auto"/>.
    /// Streamed data (<see cref="StreamFromDataView"/>) is always dense.
    /// </summary>
    public SparseInput SparseInput { get; set; } = SparseInput.Auto;

    /// <summary>Shuffle the training rows every epoch.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seeds weight initialisation, dropout and shuffling; null uses the MLContext's seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Per-class loss weights (class index: 0/1 for binary, key index − 1 for multiclass), as Keras' <c>class_weight</c>.</summary>
    public IReadOnlyDictionary<int, double>? ClassWeights { get; set; }

    /// <summary>
    /// The (channels, height, width) a flat feature vector holds, e.g. <c>new[] { 1, 28, 28 }</c> for 784 pixels in
    /// channel, row, column order (as <c>ExtractPixels</c> writes them and CSV pixel columns usually are); required by
    /// convolutional layers. Null: the features are a flat vector.
    /// </summary>
    public int[]? InputShape { get; set; }

    /// <summary>
    /// Changes every training batch before the forward pass, with new random draws each epoch (e.g. Mlx.Vision's
    /// <c>ImageBatchAugmentation</c>: rotations, shifts, flips of images); validation data and scoring are never
    /// augmented. Draws follow from the seed and the epoch. Not with sparse input.
    /// </summary>
    public Mlx.Core.Batching.IBatchAugmentation? Augmentation { get; set; }

    /// <summary>Stop early when the monitored value stops improving.</summary>
    public EarlyStopping? EarlyStopping { get; set; }

    /// <summary>
    /// A fine-tuning phase after <see cref="Epochs"/> (null: none): layers with frozen pretrained weights unfreeze their
    /// top and training continues with the phase's optimizer; see <see cref="FineTuningPhase"/>.
    /// </summary>
    public FineTuningPhase? FineTuning { get; set; }

    /// <summary>Reduce the learning rate when the monitored value plateaus.</summary>
    public ReduceLearningRateOnPlateau? ReduceLearningRateOnPlateau { get; set; }

    /// <summary>A folder for per-epoch checkpoints; a run resumes from the checkpoint found there (weights, history, learning rate).</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// libtorch intra-op threads for this training, between 1 and the number of cores; null leaves libtorch's setting.
    /// libtorch's count is process-wide: it is set when Fit starts and the previous count is restored when Fit ends, so
    /// trainings that run concurrently with different values share whichever was set last.
    /// </summary>
    public int? Threads { get; set; }

    /// <summary>
    /// Stop with an error naming the epoch and batch when the training loss becomes NaN or infinite (Keras'
    /// <c>TerminateOnNaN</c>); true by default. When false, training goes on and a warning is logged once.
    /// </summary>
    public bool TerminateOnNaN { get; set; } = true;

    /// <summary>
    /// Regression: train on standardized targets ((y − mean) / SD per output, over the training rows) and fold the
    /// scale into the output layer afterwards, so that predictions are in the label's units (scikit-learn's
    /// <c>TransformedTargetRegressor</c> with a <c>StandardScaler</c>). Large-valued targets (prices) then train as
    /// well as unit-scale ones. The history's losses and metrics are in standardized units. False by default (Keras
    /// trains on the raw targets); in-memory training only (not with <see cref="StreamFromDataView"/>).
    /// </summary>
    public bool StandardizeTargets { get; set; }

    /// <summary>Called after every batch and every epoch.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>
    /// Stops training early, as Keras' <c>model.stop_training</c> or its TimeStopping callback do: when the token is
    /// cancelled the batch under way finishes, the epoch it belongs to is not recorded, the best weights are restored
    /// when <see cref="EarlyStopping"/> asks for it, and <see cref="TrainingHistory.StopReason"/> says where training
    /// stopped. No exception: the model trained so far is returned (a time budget uses
    /// <c>new CancellationTokenSource(timeLeft).Token</c>).
    /// </summary>
    public CancellationToken StopToken { get; set; }

    /// <summary>A shallow copy (catalogs that add layers or settings leave the caller's options as they were).</summary>
    internal NeuralNetworkOptions Clone() => (NeuralNetworkOptions)MemberwiseClone();
}
