using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;
using Mlx.Estimators.Runtime;

namespace Mlx.Estimators;

/// <summary>
/// Trains a dense neural network on TorchSharp with Keras' training loop (see <see cref="NeuralNetworkOptions"/>);
/// created by <c>mlContext.BinaryClassification.Trainers.NeuralNetwork</c> and its multiclass and regression
/// counterparts. Usable in <c>Append</c>, <c>CrossValidate</c> and <c>Evaluate</c> like ML.NET's own trainers.
/// </summary>
public sealed class NeuralNetworkTrainer : IEstimator<NeuralNetworkModel>
{
    private readonly IHost _host;
    private readonly NeuralNetworkTask _task;
    private readonly NeuralNetworkOptions _options;

    internal NeuralNetworkTrainer(IHostEnvironment env, NeuralNetworkTask task, NeuralNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _host = env.Register(nameof(NeuralNetworkTrainer));
        _task = task;
        _options = options;
        Validate(options);
    }

    /// <summary>The task this trainer fits.</summary>
    public NeuralNetworkTask Task => _task;

    /// <summary>Trains on <paramref name="input"/>; progress goes to the ML.NET log and the options' callback.</summary>
    public NeuralNetworkModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Everything that touches libtorch runs on one thread with denormals flushed (see FlushDenormals):
        // libtorch's worker threads inherit the floating-point mode of the thread that starts them.
        return FlushDenormals.Run(() => FitCore(input));
    }

    private NeuralNetworkModel FitCore(IDataView input)
    {
        TorchRuntime.EnsureAvailable();
        if (NativeTuning.FirstUse())
        {
            using var channel = _host.Start("Native tuning");
            channel.Info(MessageSensitivity.None, NativeTuning.Describe());
        }
        CheckColumns(input.Schema, "the training data");
        if (_options.ValidationData is { } validationData)
            CheckValidationSchema(input.Schema, validationData.Schema);
        if (_options.CheckpointDirectory is string checkpoints && File.Exists(checkpoints))
            throw new ArgumentException($"CheckpointDirectory '{checkpoints}' is a file, not a folder. Give the path of a folder (it is created if missing) where the per-epoch checkpoints go.", nameof(NeuralNetworkOptions.CheckpointDirectory));
        // libtorch's thread count is process-wide: set for this training only, the previous count restored afterwards.
        int previousThreads = TorchRuntime.Threads;
        if (_options.Threads is int threads)
            TorchRuntime.SetThreads(threads);
        try
        {
            return FitWithThreads(input);
        }
        finally
        {
            if (_options.Threads != null)
                TorchRuntime.SetThreads(previousThreads);
        }
    }

    private NeuralNetworkModel FitWithThreads(IDataView input)
    {
        int outputs = _task == NeuralNetworkTask.MulticlassClassification
            ? TrainingData.ClassCount(input.Schema, _options.LabelColumnName)
            : TrainingData.LabelWidth(input.Schema, _options.LabelColumnName, _task);
        var classNames = _task == NeuralNetworkTask.MulticlassClassification ? ClassNames(input.Schema[_options.LabelColumnName], outputs)
            : _task.IsVectorLabel() ? NeuralNetworkEvaluation.SlotNames(input.Schema[_options.LabelColumnName], outputs) : null;
        if (_task.IsVectorLabel() && _options.ClassWeights != null)
            throw new ArgumentException($"ClassWeights apply to binary and multiclass labels; for {_task} use an example weight column.");
        CheckClassWeights(outputs);
        var inputShape = InputShape(input.Schema);
        int seed = _options.Seed ?? _host.Rand.Next();
        int? sequenceLength = SequenceLength(input);
        // Built before any data is read, so that a shape error comes first; handed to the training loop.
        var network = BuildNetwork(input.Schema, outputs, seed, inputShape, sequenceLength);
        try
        {
            return _options.StreamFromDataView
                ? FitStreaming(input, outputs, classNames, network, seed, inputShape)
                : FitInMemory(input, outputs, classNames, network, seed, inputShape, sequenceLength);
        }
        catch
        {
            network.Module.Dispose();
            network.DropoutGenerator.Dispose();
            throw;
        }
    }

    private NeuralNetworkModel FitInMemory(IDataView input, int outputs, string[]? classNames, NetworkBuilder.Network network, int seed, int[]? inputShape, int? sequenceLength)
    {
        var dataClock = System.Diagnostics.Stopwatch.StartNew();
        bool sparse = TrainingData.ChooseSparse(input, _options, out double density);
        double? sparseDensity = sparse ? density : null; // measured whenever SparseInput is not Dense
        using var all = TrainingData.Read(input, _options, _task, outputs, sparseDensity, sequenceLength);
        TrainingData train = all, validation = null!;
        using var separateValidation = _options.ValidationData is { } validationView ? TrainingData.Read(validationView, _options, _task, outputs, sparseDensity, sequenceLength) : null;
        if (separateValidation != null)
        {
            validation = separateValidation;
        }
        else if (_options.ValidationFraction > 0)
        {
            int trainRows = (int)Math.Floor(all.Rows * (1 - _options.ValidationFraction));
            if (trainRows < 1 || trainRows == all.Rows)
                throw MlxError.CannotFit("the training data", $"ValidationFraction {_options.ValidationFraction} of {all.Rows} rows leaves no training or no validation rows", "Use more data or another fraction.");
            (train, validation) = all.Split(trainRows);
        }
        CheckClasses(train, outputs);

        using var log = _host.Start("Training");
        var loop = new TrainingLoop(_options, _task, outputs, log, inputShape);
        log.Info(MessageSensitivity.None, $"{_task}: {train.Rows} training rows × {train.Dimension} features" +
            (validation != null ? $", {validation.Rows} validation rows" : "") + $", {_options.Epochs} epochs of batch {_options.BatchSize}, seed {seed}; " +
            (sparse ? $"features held as sparse rows ({100 * density:F1} % non-zero in the first rows)." : "features held as a dense tensor."));
        var scaling = _options.StandardizeTargets && _task.IsRegression() ? TargetScaling.Fit(train) : null;
        if (scaling is not null)
        {
            // train is `all` or a copy of its first rows; validation a copy or its own read: each is standardized once.
            scaling.Apply(train);
            if (validation is not null)
                scaling.Apply(validation);
            log.Info(MessageSensitivity.None, $"Targets standardized for training ({scaling.Describe()}); the output layer is rescaled after training.");
        }
        double readSeconds = dataClock.Elapsed.TotalSeconds;
        var history = loop.Fit(network, train, null, train.Dimension, validation, seed);
        history.DataSeconds += readSeconds;
        if (scaling is not null)
            scaling.FoldInto((TorchSharp.Modules.Linear)network.Modules[^1]);
        return new NeuralNetworkModel(_host, _task, _options.FeatureColumnName, train.Dimension, _options.Layers, outputs, classNames, network, history, inputShape,
            variableLength: sequenceLength.HasValue);
    }

    private NeuralNetworkModel FitStreaming(IDataView input, int outputs, string[]? classNames, NetworkBuilder.Network network, int seed, int[]? inputShape)
    {
        if (_options.ValidationFraction > 0)
            throw new ArgumentException("StreamFromDataView reads the data once per epoch, so it cannot hold out a fraction: give ValidationData instead.");
        if (_options.StandardizeTargets && _task.IsRegression())
            throw new ArgumentException("StandardizeTargets needs the targets' mean and SD before the first epoch, which StreamFromDataView does not read: train in memory, or standardize the label before the trainer.");
        int dimension = TrainingData.FeatureSize(input.Schema, _options.FeatureColumnName);
        var dataClock = System.Diagnostics.Stopwatch.StartNew();
        using var validation = _options.ValidationData is { } v ? TrainingData.Read(v, _options, _task, outputs) : null;
        double readSeconds = dataClock.Elapsed.TotalSeconds;
        using var log = _host.Start("Training");
        log.Info(MessageSensitivity.None, $"{_task}: streaming the training rows × {dimension} features from the data view, {_options.Epochs} epochs of batch {_options.BatchSize}, seed {seed}.");
        var history = new TrainingLoop(_options, _task, outputs, log, inputShape).Fit(network, null, input, dimension, validation, seed);
        history.DataSeconds += readSeconds;
        return new NeuralNetworkModel(_host, _task, _options.FeatureColumnName, dimension, _options.Layers, outputs, classNames, network, history, inputShape);
    }

    /// <summary>The input schema plus the task's output columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(_options.FeatureColumnName, out _))
            throw MlxError.MissingColumn(_options.FeatureColumnName, inputSchema.Select(c => c.Name), "NeuralNetworkOptions.FeatureColumnName");
        if (!inputSchema.TryFindColumn(_options.LabelColumnName, out _))
            throw MlxError.MissingColumn(_options.LabelColumnName, inputSchema.Select(c => c.Name), "NeuralNetworkOptions.LabelColumnName");
        var result = inputSchema.ToDictionary(c => c.Name);
        var scalar = SchemaShape.Column.VectorKind.Scalar;
        var none = new SchemaShape(Array.Empty<SchemaShape.Column>());
        switch (_task)
        {
            case NeuralNetworkTask.BinaryClassification:
                result["Score"] = new SchemaShape.Column("Score", scalar, NumberDataViewType.Single, false, none);
                result["Probability"] = new SchemaShape.Column("Probability", scalar, NumberDataViewType.Single, false, none);
                result["PredictedLabel"] = new SchemaShape.Column("PredictedLabel", scalar, BooleanDataViewType.Instance, false, none);
                break;
            case NeuralNetworkTask.MulticlassClassification:
                result["Score"] = new SchemaShape.Column("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, none);
                result["PredictedLabel"] = new SchemaShape.Column("PredictedLabel", scalar, NumberDataViewType.UInt32, true, none);
                break;
            case NeuralNetworkTask.MultilabelClassification:
                result["Score"] = new SchemaShape.Column("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, none);
                result["Probability"] = new SchemaShape.Column("Probability", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, none);
                result["PredictedLabel"] = new SchemaShape.Column("PredictedLabel", SchemaShape.Column.VectorKind.Vector, BooleanDataViewType.Instance, false, none);
                break;
            case NeuralNetworkTask.VectorRegression:
                result["Score"] = new SchemaShape.Column("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, none);
                break;
            default:
                result["Score"] = new SchemaShape.Column("Score", scalar, NumberDataViewType.Single, false, none);
                break;
        }
        return new SchemaShape(result.Values);
    }

    private static void Validate(NeuralNetworkOptions o)
    {
        if (o.Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(o.Epochs), o.Epochs, "Train for at least one epoch.");
        if (o.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, "The batch size must be at least 1.");
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction, "The validation fraction must be in [0, 1).");
        if (o.ValidationFraction > 0 && o.ValidationData != null)
            throw new ArgumentException("Give either ValidationFraction or ValidationData, not both.");
        if (o.Layers == null || o.Layers.Any(l => l == null))
            throw new ArgumentException("Layers must be a list of layers (it may be empty for a linear model).");
        if (o.ClassWeights?.Values.Any(w => !(w >= 0) || !double.IsFinite(w)) == true)
            throw new ArgumentException("Class weights must be finite and not negative.");
        if (o.Threads is int t && (t < 1 || t > Environment.ProcessorCount))
            throw new ArgumentOutOfRangeException(nameof(o.Threads), t, $"Threads must be between 1 and the number of cores ({Environment.ProcessorCount}): more threads than cores only make libtorch's spinning threads fight each other (30x slower measured with 1000 on 2 cores). Leave it null for libtorch's default.");
        if (o.FineTuning is { } f && (f.Epochs < 0 || f.Optimizer is null))
            throw new ArgumentException($"FineTuning needs an optimizer and 0 or more epochs (got {f.Epochs}); set FineTuning = null for no fine-tuning phase.", nameof(o.FineTuning));
        if (o.ReduceLearningRateOnPlateau is { } r && !(r.Factor > 0 && r.Factor < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ReduceLearningRateOnPlateau), r.Factor, "The reduction factor must be in (0, 1).");
    }

    /// <summary>The feature, label and weight columns exist in <paramref name="schema"/>; the errors name the option that named them.</summary>
    private void CheckColumns(DataViewSchema schema, string data)
    {
        void Require(string? column, string option)
        {
            if (column != null && schema.GetColumnOrNull(column) == null)
                throw MlxError.MissingColumn(column, schema.Where(c => !c.IsHidden).Select(c => c.Name), $"NeuralNetworkOptions.{option}", data);
        }
        Require(_options.FeatureColumnName, nameof(NeuralNetworkOptions.FeatureColumnName));
        Require(_options.LabelColumnName, nameof(NeuralNetworkOptions.LabelColumnName));
        Require(_options.ExampleWeightColumnName, nameof(NeuralNetworkOptions.ExampleWeightColumnName));
    }

    /// <summary>ValidationData has the training data's columns with the same feature size and label type, checked before any epoch runs.</summary>
    private void CheckValidationSchema(DataViewSchema training, DataViewSchema validation)
    {
        const string data = "the validation data (NeuralNetworkOptions.ValidationData)";
        CheckColumns(validation, data);
        foreach (var name in new[] { _options.FeatureColumnName, _options.LabelColumnName })
        {
            var expected = training[name].Type;
            var actual = validation[name].Type;
            if (!expected.Equals(actual))
            {
                throw MlxError.WrongColumnType(name, $"{expected} (as in the training data)", $"{actual} in {data}",
                    "Transform the validation data with the same fitted pipeline as the training data (e.g. fit on the training data, then Transform both), so that both have the same feature size and label type.");
            }
        }
    }

    /// <summary>
    /// Infers every layer's shape before any data is read (a shape error names the layer, the incoming shape and the fix)
    /// and logs the network's summary, as Keras prints <c>model.summary()</c>.
    /// </summary>
    /// <summary>
    /// For a feature column of variable-length token ids: the length rows are padded to in training (the longest row of
    /// the training and validation data), else null. Padding is masked: the recurrent layers skip it.
    /// </summary>
    private int? SequenceLength(IDataView input)
    {
        if (!FeatureColumn.IsVariableLength(input.Schema, _options.FeatureColumnName))
            return null;
        if (_options.StreamFromDataView)
            throw new ArgumentException($"Column '{_options.FeatureColumnName}' holds token ids of varying length: StreamFromDataView needs one length (VectorizeText's SequenceLength).");
        int longest = FeatureColumn.LongestSequence(input, _options.FeatureColumnName);
        return _options.ValidationData is { } validation ? Math.Max(longest, FeatureColumn.LongestSequence(validation, _options.FeatureColumnName)) : longest;
    }

    private NetworkBuilder.Network BuildNetwork(DataViewSchema schema, int outputs, int seed, int[]? inputShape, int? sequenceLength)
    {
        int features = sequenceLength ?? TrainingData.FeatureSize(schema, _options.FeatureColumnName);
        var network = NetworkBuilder.Build(features, _options.Layers, outputs, _options.OutputRegularizer, seed, inputShape, variableLength: sequenceLength.HasValue);
        using var channel = _host.Start("Network");
        channel.Info(MessageSensitivity.None, $"{_task} network:\n{LayerSummary.Format(network.Summary)}");
        return network;
    }

    /// <summary>
    /// The shape an example is read as: <see cref="NeuralNetworkOptions.InputShape"/>, or (3, height, width) for an image
    /// feature column (which an InputShape, if given, must equal).
    /// </summary>
    private int[]? InputShape(DataViewSchema schema)
    {
        var image = FeatureColumn.ImageShape(schema, _options.FeatureColumnName);
        if (image != null && _options.InputShape != null && !image.SequenceEqual(_options.InputShape))
        {
            throw new ArgumentException($"NeuralNetworkOptions.InputShape {LayerBuild.Show(_options.InputShape)} does not match the image column '{_options.FeatureColumnName}', " +
                $"read as {LayerBuild.Show(image)} (R, G, B planes): leave InputShape unset for image columns.");
        }
        return _options.InputShape ?? image;
    }

    /// <summary>Every class index in <see cref="NeuralNetworkOptions.ClassWeights"/> is a class of the task.</summary>
    private void CheckClassWeights(int outputs)
    {
        if (_options.ClassWeights == null)
            return;
        int classes = _task == NeuralNetworkTask.BinaryClassification ? 2 : outputs;
        foreach (var index in _options.ClassWeights.Keys)
        {
            if (index < 0 || index >= classes)
            {
                throw new ArgumentException($"ClassWeights names class index {index}, but the label has {classes} classes (indices 0 to {classes - 1}" +
                    (_task == NeuralNetworkTask.BinaryClassification ? ": 0 = false, 1 = true)" : ", in the order of the label's key values)") +
                    ". Remove the entry or fix the index; a weight for a class that does not exist would be silently ignored.", nameof(NeuralNetworkOptions.ClassWeights));
            }
        }
    }

    private void CheckClasses(TrainingData train, int classes)
    {
        if (_task != NeuralNetworkTask.BinaryClassification && _task != NeuralNetworkTask.MulticlassClassification)
            return;
        // A second class anywhere (no set of all labels: this runs on every fit).
        if (train.Targets.AsSpan().IndexOfAnyExcept(train.Targets[0]) < 0)
        {
            throw MlxError.CannotFit($"column '{_options.LabelColumnName}'", $"the training data holds a single class ({(_task == NeuralNetworkTask.BinaryClassification ? (train.Targets[0] > 0 ? "true" : "false") : $"key {train.Targets[0] + 1}")})",
                "A classifier needs examples of at least two classes; check filters and the label column.");
        }
    }

    private static string[] ClassNames(DataViewSchema.Column label, int count)
    {
        var names = Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var keyValues = label.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (keyValues is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            var values = default(VBuffer<ReadOnlyMemory<char>>);
            label.Annotations.GetValue("KeyValues", ref values);
            var dense = values.DenseValues().ToArray();
            for (int i = 0; i < Math.Min(count, dense.Length); i++)
                names[i] = dense[i].ToString();
        }
        else if (keyValues is { } other)
        {
            names = KeyValueText(label, other, count) ?? names;
        }
        return names;
    }

    // Non-text key values (numbers, Booleans): shown as text.
    private static string[]? KeyValueText(DataViewSchema.Column label, DataViewSchema.Column keyValues, int count)
    {
        if (keyValues.Type is not VectorDataViewType vector)
            return null;
        var method = typeof(NeuralNetworkTrainer).GetMethod(nameof(KeyValueTextOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(vector.ItemType.RawType);
        return (string[]?)method.Invoke(null, new object[] { label, count });
    }

    private static string[] KeyValueTextOf<T>(DataViewSchema.Column label, int count)
    {
        var values = default(VBuffer<T>);
        label.Annotations.GetValue("KeyValues", ref values);
        return values.DenseValues().Take(count).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
    }
}
