using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Keras' <c>fit</c> on TorchSharp: data held as a tensor (or as sparse rows, fed to the first Dense layer's
/// <see cref="SparseDenseFunction"/>), a fresh permutation per epoch, mini-batches by <c>index_select</c> (or row
/// numbers), loss + weight penalties, backward, optimiser step, each batch inside a dispose scope
/// (memory stays flat across epochs); then validation, history, callbacks (early stopping, learning-rate
/// reduction, checkpoints) and progress.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly NeuralNetworkOptions _options;
    private readonly NeuralNetworkTask _task;
    private readonly int _outputs;
    private readonly IChannel _log;
    private readonly int[]? _inputShape;

    // inputShape: the (C, H, W) or (C, L) an example is read as (InputShape, or an image column's), or null.
    public TrainingLoop(NeuralNetworkOptions options, NeuralNetworkTask task, int outputs, IChannel log, int[]? inputShape = null)
    {
        _inputShape = inputShape;
        _options = options;
        _task = task;
        _outputs = outputs;
        _log = log;
    }

    public string MetricName => _task.IsRegression() ? "mae" : "accuracy";

    /// <summary>
    /// Trains <paramref name="network"/> (built with <paramref name="seed"/>) on <paramref name="train"/> held in memory, or,
    /// when it is null, on <paramref name="stream"/> read batch by batch each epoch; returns the history.
    /// </summary>
    public TrainingHistory Fit(NetworkBuilder.Network network, TrainingData? train, IDataView? stream, int dimension, TrainingData? validation, int seed)
    {
        var module = network.Module;
        var history = new TrainingHistory(MetricName);
        // Phase 1 runs epochs 1 .. Epochs; a fine-tuning phase runs Epochs + 1 .. Epochs + its epochs (even when early
        // stopping ended phase 1 sooner), so the phase of any epoch, and of a checkpoint, follows from its number.
        int firstPhaseEpochs = _options.Epochs, lastEpoch = _options.Epochs + (_options.FineTuning?.Epochs ?? 0);
        var checkpoint = _options.CheckpointDirectory is string dir ? new Checkpoint(dir) : null;
        var lastSaved = checkpoint?.LastSavedEpoch() ?? 0;
        bool fineTuning = _options.FineTuning != null && lastSaved > firstPhaseEpochs;
        if (fineTuning)
            StartFineTuning(network, history);
        var optimizer = (fineTuning ? _options.FineTuning!.Optimizer : _options.Optimizer).CreateUpdate(module.parameters());
        try
        {
        int firstEpoch = 1;
        if (checkpoint?.TryResume(module, optimizer, out var resumed) == true)
        {
            history = resumed!;
            history.FineTuningStartEpoch = fineTuning ? firstPhaseEpochs + 1 : null;
            firstEpoch = history.Epochs[^1].Epoch + 1;
            _log.Info(MessageSensitivity.None, $"Resumed from checkpoint after epoch {history.Epochs[^1].Epoch}.");
        }

        var tensorClock = Stopwatch.StartNew();
        using var x = train is { IsSparse: false } ? train.FeatureTensor() : null;
        using var workspace = train is { IsSparse: true } || validation is { IsSparse: true } ? new SparseDenseWorkspace(network.FirstDense!) : null;
        using var y = train != null ? Targets(train) : null;
        using var w = train != null ? Weights(train) : null;
        using var generator = new torch.Generator((ulong)(uint)seed);
        history.DataSeconds = tensorClock.Elapsed.TotalSeconds;
        var monitor = new MonitorState(_options, validation != null, MetricName);  // replaced when fine-tuning starts
        long? streamRows = stream?.GetRowCount();
        int batches = train != null ? (train.Rows + _options.BatchSize - 1) / _options.BatchSize
            : streamRows is long n ? (int)((n + _options.BatchSize - 1) / _options.BatchSize) : 0;
        for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++)
        {
            if (_options.FineTuning != null && !fineTuning && epoch > firstPhaseEpochs)
            {
                // Phase 2: the best weights of phase 1 kept, the pretrained top unfrozen, a fresh optimizer and monitor.
                if (monitor.RestoreBest(module))
                    _log.Info(MessageSensitivity.None, $"First phase: the weights of epoch {monitor.BestEpoch} continue into fine-tuning.");
                if (history.StopReason != "completed")
                    history.StopReason = $"completed; first phase: {history.StopReason}";
                fineTuning = true;
                StartFineTuning(network, history);
                optimizer.Dispose();
                optimizer = _options.FineTuning.Optimizer.CreateUpdate(module.parameters());
                monitor = new MonitorState(_options, validation != null, MetricName);
                epoch = firstPhaseEpochs + 1;
            }
            var clock = Stopwatch.StartNew();
            // Shuffles and dropout masks depend on (seed, epoch) alone, so a run resumed from a checkpoint after epoch k
            // continues exactly as the uninterrupted run would have.
            generator.manual_seed(EpochSeed(seed, epoch, 0));
            network.DropoutGenerator.manual_seed(EpochSeed(seed, epoch, 1));
            var augmentationRandom = _options.Augmentation != null ? new Random((int)(EpochSeed(seed, epoch, 2) % int.MaxValue)) : null;
            module.train();
            double lossSum = 0;
            long rows = 0;
            int b = 0;
            double metricSum = 0;
            bool interrupted = false;  // StopToken cancelled before the epoch's last batch
            void Step(Tensor output, Tensor yb, Tensor? wb, int count)
            {
                var loss = Loss(output, yb, wb);
                if (network.Penalties.Count > 0)
                    loss = loss + Penalty(network);
                metricSum += BatchMetric(output, yb);
                optimizer.ZeroGradients();
                loss.backward();
                optimizer.Step();
                float batchLoss = loss.item<float>();
                if (!float.IsFinite(batchLoss))
                    NonFiniteLoss(batchLoss, epoch, b + 1, batches);
                lossSum += batchLoss * count;
                rows += count;
                _options.Progress?.Report(new TrainingProgress(epoch, lastEpoch, ++b, batches, lossSum / rows, null));
            }
            if (train != null)
            {
                using var order = _options.Shuffle ? torch.randperm(train.Rows, generator: generator) : torch.arange(train.Rows);
                for (int start = 0; start < train.Rows; start += _options.BatchSize)
                {
                    using var scope = torch.NewDisposeScope();
                    int count = Math.Min(_options.BatchSize, train.Rows - start);
                    var index = order.narrow(0, start, count);
                    var output = train.IsSparse
                        ? network.Forward(train.SparseBatch(TensorMemory.Longs(order).Slice(start, count)), workspace!)
                        : module.forward(Augment(x!.index_select(0, index), count, dimension, augmentationRandom));
                    Step(output, y!.index_select(0, index), w?.index_select(0, index), count);
                    if (interrupted = _options.StopToken.IsCancellationRequested && start + count < train.Rows)
                        break;
                }
            }
            else
            {
                // Not HashCode.Combine: .NET randomizes it per process, and the order must follow from the seed alone.
                var shuffle = _options.Shuffle ? new Random(unchecked(seed * 1_000_003 + epoch)) : null;
                foreach (var batch in TrainingData.Stream(stream!, _options, _task, _outputs, _options.BatchSize, shuffle))
                {
                    using (batch)
                    using (var scope = torch.NewDisposeScope())
                        Step(module.forward(Augment(batch.FeatureTensor(), batch.Rows, dimension, augmentationRandom)), Targets(batch), Weights(batch), batch.Rows);
                    if (interrupted = _options.StopToken.IsCancellationRequested)
                        break;
                }
                if (rows == 0)
                    throw MlxError.CannotFit("the training data", "it has no rows", "Check the data source and any filters before the trainer.");
            }
            if (interrupted)
            {
                // Stopped inside the epoch: its partial loss is not an epoch's, so the history keeps the last full one.
                history.StopReason = $"stopped by the caller (StopToken) during epoch {epoch}, after {b} batches";
                _log.Info(MessageSensitivity.None, history.StopReason);
                break;
            }
            double learningRate = optimizer.LearningRate;
            var (validationLoss, validationMetric) = validation != null ? Evaluate(network, validation, workspace) : (null as double?, null as double?);
            var record = new EpochRecord(epoch, lossSum / rows, metricSum / rows, validationLoss, validationMetric, learningRate, clock.Elapsed.TotalSeconds);
            history.Add(record);
            _log.Info(MessageSensitivity.None, Describe(record));
            _options.Progress?.Report(new TrainingProgress(epoch, lastEpoch, batches, batches, record.Loss, record));

            bool stop = monitor.EndOfEpoch(record, module, optimizer, _log);
            checkpoint?.Save(module, optimizer, history);
            if (_options.StopToken.IsCancellationRequested && !stop)
            {
                history.StopReason = $"stopped by the caller (StopToken) after epoch {epoch}";
                _log.Info(MessageSensitivity.None, history.StopReason);
                break;
            }
            if (stop)
            {
                history.StopReason = $"early stopping at epoch {epoch} (no improvement of {monitor.EarlyStoppingName} for {_options.EarlyStopping!.Patience} epochs)";
                if (_options.FineTuning != null && !fineTuning)
                {
                    epoch = firstPhaseEpochs;            // on to the fine-tuning phase
                    continue;
                }
                break;
            }
        }
        if (monitor.RestoreBest(module))
            history.RestoredEpoch = monitor.BestEpoch;
        module.eval();
        return history;
        }
        finally
        {
            optimizer.Dispose();
        }
    }

    private void StartFineTuning(NetworkBuilder.Network network, TrainingHistory history)
    {
        network.StartFineTuning(_options.Layers);
        history.FineTuningStartEpoch = _options.Epochs + 1;
        long trainable = network.Module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        _log.Info(MessageSensitivity.None, $"Fine-tuning from epoch {_options.Epochs + 1}: {trainable:N0} trainable parameters, {_options.FineTuning!.Epochs} epochs.");
    }

    /// <summary>Applies <see cref="NeuralNetworkOptions.Augmentation"/> in place to a fresh batch tensor (index_select's copy, never the data).</summary>
    private Tensor Augment(Tensor batch, int rows, int dimension, Random? random)
    {
        if (_options.Augmentation is not { } augmentation)
            return batch;
        augmentation.Augment(TensorMemory.Floats(batch), rows, _inputShape ?? [dimension], random!);
        return batch;
    }

    /// <summary>A generator seed for one stream (shuffle, dropout) of one epoch of the run seeded <paramref name="seed"/>.</summary>
    private static long EpochSeed(int seed, int epoch, int stream) =>
        ((long)seed << 32) ^ ((long)epoch << 2) ^ stream;

    private bool _warnedNonFinite;

    /// <summary>Keras' TerminateOnNaN: a clear error (or, when opted out, one warning) instead of NaN scores at the end.</summary>
    private void NonFiniteLoss(float loss, int epoch, int batch, int batches)
    {
        string what = $"The training loss became {loss} at epoch {epoch}, batch {batch}" + (batches > 0 ? $" of {batches}" : "");
        const string fix = "Lower the learning rate (e.g. Optimizer.RmsProp(1e-4)), scale the features and, for regression, the label " +
                           "(mlContext.Transforms.NormalizeMeanVariance), or check the data for extreme values; set NeuralNetworkOptions.TerminateOnNaN = false to train on regardless.";
        if (_options.TerminateOnNaN)
            throw new InvalidOperationException($"{what}: the weights have diverged and every later score would be NaN. {fix}");
        if (!_warnedNonFinite)
        {
            _warnedNonFinite = true;
            _log.Warning(MessageSensitivity.None, $"{what}; training goes on because TerminateOnNaN is false. {fix}");
        }
    }

    private string Describe(EpochRecord e) =>
        $"epoch {e.Epoch}/{_options.Epochs}: loss {e.Loss:F4}, {MetricName} {e.Metric:F4}" +
        (e.ValidationLoss is double vl ? $", val_loss {vl:F4}, val_{MetricName} {e.ValidationMetric:F4}" : "") + $", lr {e.LearningRate:G3}, {e.Seconds:F2} s";

    private Tensor Targets(TrainingData data) => _task == NeuralNetworkTask.MulticlassClassification
        ? torch.tensor(data.Targets.Select(t => (long)t).ToArray())
        : torch.tensor(data.Targets, new long[] { data.Rows, data.TargetWidth });

    /// <summary>Example weights × class weights, or null when all are 1.</summary>
    private Tensor? Weights(TrainingData data)
    {
        if (data.Weights == null && _options.ClassWeights == null)
            return null;
        var weights = new float[data.Rows];
        for (int i = 0; i < data.Rows; i++)
        {
            double classWeight = _options.ClassWeights?.GetValueOrDefault((int)data.Targets[i], 1.0) ?? 1.0;
            weights[i] = (float)((data.Weights?[i] ?? 1f) * classWeight);
        }
        return _task == NeuralNetworkTask.MulticlassClassification ? torch.tensor(weights) : torch.tensor(weights, new long[] { data.Rows, 1 });
    }

    /// <summary>The task's loss on logits (sigmoid / softmax inside the loss, as Keras' from_logits), mean over the batch.</summary>
    private Tensor Loss(Tensor output, Tensor target, Tensor? weights)
    {
        var reduction = weights is null ? nn.Reduction.Mean : nn.Reduction.None;
        var loss = _task switch
        {
            NeuralNetworkTask.BinaryClassification or NeuralNetworkTask.MultilabelClassification => nn.functional.binary_cross_entropy_with_logits(output, target, reduction: reduction),
            NeuralNetworkTask.MulticlassClassification => nn.functional.cross_entropy(output, target, reduction: reduction),
            _ => nn.functional.mse_loss(output, target, reduction),
        };
        return weights is null ? loss : (loss * weights).mean();
    }

    private static Tensor Penalty(NetworkBuilder.Network network)
    {
        var total = torch.zeros(1);
        foreach (var (weight, r) in network.Penalties)
        {
            if (r.L1 > 0)
                total = total + r.L1 * weight.abs().sum();
            if (r.L2 > 0)
                total = total + r.L2 * weight.square().sum();
        }
        return total.squeeze();
    }

    /// <summary>
    /// The batch's metric sum (correct predictions, or absolute errors; vector outputs averaged per row), computed in
    /// C# over the output and target memory: a handful of tiny libtorch kernels and a scalar read cost more than the
    /// arithmetic on 128 × 10 values. Vector outputs average over the row (Keras' binary_accuracy / mae over the last axis).
    /// </summary>
    private double BatchMetric(Tensor output, Tensor target)
    {
        // Outputs and index_select / narrow results are contiguous; anything else is copied first.
        using var outputCopy = output.is_contiguous() ? null : output.detach().contiguous();
        using var targetCopy = target.is_contiguous() ? null : target.contiguous();
        output = outputCopy ?? output;
        target = targetCopy ?? target;
        var o = TensorMemory.Floats(output);
        int k = _outputs;
        double sum = 0;
        switch (_task)
        {
            case NeuralNetworkTask.MulticlassClassification:
                var classes = TensorMemory.Longs(target);
                for (int r = 0; r < classes.Length; r++)
                    sum += Argmax.Of(o.Slice(r * k, k)) == classes[r] ? 1 : 0;
                return sum;
            case NeuralNetworkTask.BinaryClassification:
            case NeuralNetworkTask.MultilabelClassification:
                var labels = TensorMemory.Floats(target);
                for (int j = 0; j < labels.Length; j++)
                    sum += (o[j] > 0) == (labels[j] > 0.5f) ? 1 : 0;
                return sum / k;
            default:
                var values = TensorMemory.Floats(target);
                for (int j = 0; j < values.Length; j++)
                    sum += Math.Abs(o[j] - values[j]);
                return sum / k;
        }
    }

    /// <summary>Loss (penalties included, as Keras) and metric on held-out data, in batches, without gradients.</summary>
    public (double? Loss, double? Metric) Evaluate(NetworkBuilder.Network network, TrainingData data, SparseDenseWorkspace? workspace = null)
    {
        var module = network.Module;
        module.eval();
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var x = data.IsSparse ? null : data.FeatureTensor();
        var y = Targets(data);
        var w = Weights(data);
        double lossSum = 0, metricSum = 0;
        const int Chunk = 4096;
        for (int start = 0; start < data.Rows; start += Chunk)
        {
            int count = Math.Min(Chunk, data.Rows - start);
            var output = x is null ? network.Forward(data.SparseBatch(start, count), workspace!) : module.forward(x.narrow(0, start, count));
            var target = y.narrow(0, start, count);
            lossSum += Loss(output, target, w?.narrow(0, start, count)).item<float>() * count;
            metricSum += BatchMetric(output, target);
        }
        double penalty = Penalty(network).item<float>();
        return (lossSum / data.Rows + penalty, metricSum / data.Rows);
    }

    /// <summary>Early stopping and learning-rate reduction state.</summary>
    private sealed class MonitorState
    {
        private readonly NeuralNetworkOptions _options;
        private readonly bool _hasValidation;
        private readonly bool _metricHigherIsBetter;
        private double _bestStop = double.NaN, _bestLr = double.NaN;
        private int _waitStop, _waitLr;
        private Dictionary<string, Tensor>? _bestWeights;

        public MonitorState(NeuralNetworkOptions options, bool hasValidation, string metric)
        {
            _options = options;
            _hasValidation = hasValidation;
            _metricHigherIsBetter = metric == "accuracy";
            foreach (var m in new[] { options.EarlyStopping?.Monitor, options.ReduceLearningRateOnPlateau?.Monitor })
            {
                if (m is Monitor.ValidationLoss or Monitor.ValidationMetric && !hasValidation)
                    throw new ArgumentException($"Monitoring {m} needs validation data: set ValidationFraction or ValidationData, or monitor Loss.");
            }
        }

        public int BestEpoch { get; private set; }

        public string EarlyStoppingName => _options.EarlyStopping?.Monitor.ToString() ?? "";

        public bool EndOfEpoch(EpochRecord record, nn.Module<Tensor, Tensor> module, ParameterUpdate optimizer, IChannel log)
        {
            if (_options.ReduceLearningRateOnPlateau is { } plateau)
            {
                var (value, higher) = Value(plateau.Monitor, record);
                if (Improved(value, _bestLr, plateau.MinDelta, higher))
                {
                    _bestLr = value;
                    _waitLr = 0;
                }
                else if (++_waitLr >= plateau.Patience)
                {
                    optimizer.LearningRate = Math.Max(optimizer.LearningRate * plateau.Factor, plateau.MinLearningRate);
                    log.Info(MessageSensitivity.None, $"Reducing the learning rate to {optimizer.LearningRate:G3}.");
                    _waitLr = 0;
                }
            }
            if (_options.EarlyStopping is not { } stopping)
                return false;
            var (current, better) = Value(stopping.Monitor, record);
            if (Improved(current, _bestStop, stopping.MinDelta, better))
            {
                _bestStop = current;
                _waitStop = 0;
                BestEpoch = record.Epoch;
                if (stopping.RestoreBestWeights)
                {
                    DisposeBest();
                    _bestWeights = module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
                }
                return false;
            }
            return ++_waitStop >= stopping.Patience;
        }

        public bool RestoreBest(nn.Module<Tensor, Tensor> module)
        {
            if (_bestWeights == null)
                return false;
            module.load_state_dict(_bestWeights);
            DisposeBest();
            return true;
        }

        private void DisposeBest()
        {
            if (_bestWeights == null)
                return;
            foreach (var t in _bestWeights.Values)
                t.Dispose();
            _bestWeights = null;
        }

        private (double Value, bool HigherIsBetter) Value(Monitor monitor, EpochRecord e) => monitor switch
        {
            Monitor.ValidationLoss => (e.ValidationLoss!.Value, false),
            Monitor.ValidationMetric => (e.ValidationMetric!.Value, _metricHigherIsBetter),
            _ => (e.Loss, false),
        };

        private static bool Improved(double value, double best, double minDelta, bool higherIsBetter) =>
            double.IsNaN(best) || (higherIsBetter ? value > best + minDelta : value < best - minDelta);
    }
}
