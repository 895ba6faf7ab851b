using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Training;

/// <summary>
/// NeuralNetworkOptions.StopToken (a time budget's hard stop): training stops after the batch under way, keeps the
/// epochs it finished, and the model it returns is exactly the model of a run that was asked for that many epochs.
/// </summary>
public class StopTokenTests
{
    private static NeuralNetworkOptions Options(int epochs, CancellationToken token = default, IProgress<TrainingProgress>? progress = null) => new()
    {
        Layers = [Layer.Dense(8, Activation.Relu)], Epochs = epochs, Seed = 4, Threads = 1, BatchSize = 16,
        Optimizer = Optimizer.Adam(1e-2), StopToken = token, Progress = progress,
    };

    /// <summary>Reports on the training thread (Progress&lt;T&gt; would post them to the thread pool, too late to stop a batch).</summary>
    private sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }

    [Fact]
    public void Stopping_inside_an_epoch_returns_the_model_of_the_epochs_before_it()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        using var stop = new CancellationTokenSource();
        // Cancelled at the third batch of epoch 3: that epoch's partial loss is not recorded (the weights include its
        // three batches; a stop exactly after an epoch is compared with a shorter run in the next test).
        var stopped = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(20, stop.Token, new Callback(p =>
        {
            if (p.Epoch == 3 && p.Batch == 3 && p.EpochEnd is null)
                stop.Cancel();
        }))).Fit(data);
        Assert.Equal([1, 2], stopped.History.Epochs.Select(e => e.Epoch));
        Assert.Equal("stopped by the caller (StopToken) during epoch 3, after 3 batches", stopped.History.StopReason);
        Assert.All(stopped.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s), s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void Stopping_after_an_epoch_gives_the_scores_of_a_run_of_that_many_epochs_bit_for_bit()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        using var stop = new CancellationTokenSource();
        var stopped = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(20, stop.Token, new Callback(p =>
        {
            if (p.EpochEnd is { Epoch: 2 })
                stop.Cancel();
        }))).Fit(data);
        var two = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(2)).Fit(data);
        Assert.Equal([1, 2], stopped.History.Epochs.Select(e => e.Epoch));
        Assert.Equal("stopped by the caller (StopToken) after epoch 2", stopped.History.StopReason);
        var a = stopped.Transform(data).GetColumn<float[]>("Score").ToArray();
        var b = two.Transform(data).GetColumn<float[]>("Score").ToArray();
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(b[i], a[i]);
    }

    [Fact]
    public void A_token_cancelled_before_training_stops_after_the_first_batch()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        int batches = 0;
        var stopped = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(20, new CancellationToken(canceled: true),
            new Callback(p => batches += p.EpochEnd is null ? 1 : 0))).Fit(data);
        Assert.Equal(1, batches);
        Assert.Empty(stopped.History.Epochs);
        Assert.StartsWith("stopped by the caller (StopToken) during epoch 1", stopped.History.StopReason);
    }
}
