using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>The Keras-style callbacks and options: early stopping, learning-rate reduction, checkpoints, penalties, progress.</summary>
public class TrainingLoopTests
{
    private static NeuralNetworkOptions Options(int epochs) => new()
    {
        Layers = new Layer[] { Layer.Dense(32, Activation.Relu) },
        Epochs = epochs,
        BatchSize = 16,
        Seed = 3,
        Threads = 1,
    };

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_epoch()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(200);
        options.Optimizer = Optimizer.Adam(0.01); // fast enough to overfit 30 % of wine-sized data
        options.ValidationFraction = 0.3;
        options.EarlyStopping = new EarlyStopping { Patience = 4 };
        var data = ml.Data.ShuffleRows(Datasets.BreastCancer(ml), seed: 5);
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data);
        var epochs = model.History.Epochs;

        Assert.True(epochs.Count < 200, "must stop early");
        int best = epochs.OrderBy(e => e.ValidationLoss).First().Epoch;
        Assert.Equal(best, model.History.RestoredEpoch);
        Assert.Equal(best + 4, epochs.Count); // four epochs without improvement after the best
        Assert.Contains("early stopping", model.History.StopReason);
        // The restored weights are the best epoch's: the validation rows' loss equals its recorded val_loss.
        var validation = ml.Data.TakeRows(ml.Data.SkipRows(data, (int)Math.Floor(569 * 0.7)), 1000);
        var probabilities = model.Transform(validation).GetColumn<float>("Probability").ToArray();
        var labels = validation.GetColumn<bool>("Label").ToArray();
        double loss = -probabilities.Zip(labels, (p, y) => y ? Math.Log(p) : Math.Log(1 - p)).Average();
        Assert.Equal(epochs[best - 1].ValidationLoss!.Value, loss, 3);
    }

    [Fact]
    public void Learning_rate_is_reduced_on_a_plateau_and_recorded()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(25);
        options.Optimizer = Optimizer.Sgd(0.5);
        // Breast cancer's loss falls below 0.1 within a few epochs; later gains are under MinDelta = 0.02: a plateau.
        options.ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau { Monitor = Monitor.Loss, Patience = 2, Factor = 0.5, MinDelta = 0.02, MinLearningRate = 0.05 };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(Datasets.BreastCancer(ml));
        var rates = model.History.Epochs.Select(e => e.LearningRate).ToArray();
        Assert.Equal(0.5, rates[0]);
        Assert.True(rates.Zip(rates.Skip(1), (a, b) => b <= a).All(x => x), "the rate never increases");
        Assert.Contains(rates, r => r < 0.5);
        Assert.All(rates, r => Assert.True(r >= 0.05 - 1e-12));
        Assert.All(rates.Distinct(), r => Assert.Contains(r, new[] { 0.5, 0.25, 0.125, 0.0625, 0.05 }));
    }

    [Fact]
    public void A_run_resumes_from_its_checkpoint()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        var folder = Path.Combine(Path.GetTempPath(), $"mlx-checkpoint-{Guid.NewGuid():N}");
        var first = WithDropout(3);
        first.CheckpointDirectory = folder;
        var partial = ml.MulticlassClassification.Trainers.NeuralNetwork(first).Fit(data);
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint.weights")));

        var second = WithDropout(6);
        second.CheckpointDirectory = folder;
        var resumed = ml.MulticlassClassification.Trainers.NeuralNetwork(second).Fit(data);
        Assert.Equal(6, resumed.History.Epochs.Count);
        Assert.Equal(partial.History.Epochs.Select(e => e.Loss), resumed.History.Epochs.Take(3).Select(e => e.Loss));

        // The resumed run (weights, RMSProp moments, step count, shuffles and dropout masks restored) equals a run of
        // 6 epochs that was never interrupted, epoch for epoch and weight for weight.
        var uninterrupted = ml.MulticlassClassification.Trainers.NeuralNetwork(WithDropout(6)).Fit(data);
        Assert.Equal(uninterrupted.History.Epochs.Select(e => e.Loss), resumed.History.Epochs.Select(e => e.Loss));
        Assert.Equal(uninterrupted.History.Epochs.Select(e => e.ValidationLoss), resumed.History.Epochs.Select(e => e.ValidationLoss));
        Assert.Equal(Scores(ml, uninterrupted, data), Scores(ml, resumed, data));
    }

    // Dropout and a validation split, so that restoring the dropout stream and the held-out rows is tested too.
    private static NeuralNetworkOptions WithDropout(int epochs)
    {
        var options = Options(epochs);
        options.Layers = new Layer[] { Layer.Dense(32, Activation.Relu), Layer.Dropout(0.3) };
        options.ValidationFraction = 0.2;
        return options;
    }

    private static float[][] Scores(MLContext ml, ITransformer model, IDataView data) => model.Transform(data).GetColumn<float[]>("Score").ToArray();

    [Fact]
    public void L2_penalty_shrinks_the_weights_and_is_part_of_the_loss()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.BreastCancer(ml);
        NeuralNetworkModel Train(double l2)
        {
            var o = Options(20);
            o.Layers = new Layer[] { Layer.Dense(32, Activation.Relu, Regularizer.L2Penalty(l2)) };
            return ml.BinaryClassification.Trainers.NeuralNetwork(o).Fit(data);
        }
        var plain = Train(0);
        var penalised = Train(0.05);
        // With the same seed, the same first weights: the penalty adds exactly l2·Σw² to the first batch's loss,
        // so the first epoch's mean loss is higher; and training drives the penalised weights smaller.
        Assert.True(penalised.History.Epochs[0].Loss > plain.History.Epochs[0].Loss);
        Assert.True(Norm(penalised) < 0.5 * Norm(plain), $"{Norm(penalised)} vs {Norm(plain)}");
    }

    [Fact]
    public void Progress_reports_every_batch_and_epoch()
    {
        var ml = new MLContext(seed: 1);
        var reports = new List<TrainingProgress>();
        var options = Options(2);
        options.Progress = new SynchronousProgress(reports.Add);
        ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(Datasets.Wine(ml));
        int batches = (178 + 15) / 16;
        Assert.Equal(2 * (batches + 1), reports.Count);
        Assert.Equal(2, reports.Count(r => r.EpochEnd != null));
        Assert.Equal(batches, reports[0].Batches);
    }

    private static double Norm(NeuralNetworkModel model)
    {
        var weights = model.FirstLayerWeights();
        return Math.Sqrt(weights.Sum(w => (double)w * w));
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
