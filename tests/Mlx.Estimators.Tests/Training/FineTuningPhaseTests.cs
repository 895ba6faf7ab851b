using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Training;

/// <summary>
/// The fine-tuning phase of the training loop (NeuralNetworkOptions.FineTuning) on a plain network: its epochs follow
/// the first phase's numbers, early stopping in the first phase moves on to the second, and a run interrupted inside
/// the second phase resumes from its checkpoint with the second phase's optimizer, ending with the uninterrupted run's
/// scores bit for bit.
/// </summary>
public class FineTuningPhaseTests
{
    private static NeuralNetworkOptions Options(int fineTuningEpochs, string? checkpoints = null) => new()
    {
        Layers = [Layer.Dense(8, Activation.Relu)], Epochs = 3, Seed = 4, Threads = 1, Optimizer = Optimizer.Adam(1e-2),
        FineTuning = new FineTuningPhase { Epochs = fineTuningEpochs, Optimizer = Optimizer.RmsProp(1e-3) },
        CheckpointDirectory = checkpoints,
    };

    [Fact]
    public void Second_phase_epochs_follow_the_first_and_early_stopping_moves_on_to_them()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        var plain = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(2)).Fit(data);
        Assert.Equal([1, 2, 3, 4, 5], plain.History.Epochs.Select(e => e.Epoch));
        Assert.Equal(4, plain.History.FineTuningStartEpoch);

        var stopping = Options(2);
        stopping.Epochs = 30;
        stopping.ValidationFraction = 0.3;
        stopping.Optimizer = Optimizer.Adam(0.5);                 // diverges: early stopping ends the first phase
        stopping.EarlyStopping = new EarlyStopping { Monitor = Monitor.ValidationLoss, Patience = 1 };
        var stopped = ml.MulticlassClassification.Trainers.NeuralNetwork(stopping).Fit(data);
        var numbers = stopped.History.Epochs.Select(e => e.Epoch).ToArray();
        Assert.True(numbers.Length < 30, $"the first phase stopped early ({numbers.Length} epochs)");
        Assert.Equal([31, 32], numbers.TakeLast(2));
        Assert.DoesNotContain(30, numbers);
    }

    [Fact]
    public void A_run_interrupted_in_the_second_phase_resumes_there_and_ends_as_the_uninterrupted_run()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        var whole = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(3)).Fit(data);

        string folder = Path.Combine(Path.GetTempPath(), $"mlx-finetune-checkpoints-{Guid.NewGuid():N}");
        try
        {
            ml.MulticlassClassification.Trainers.NeuralNetwork(Options(1, folder)).Fit(data);           // stops after epoch 4
            var resumed = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(3, folder)).Fit(data); // epochs 5 and 6
            Assert.Equal([1, 2, 3, 4, 5, 6], resumed.History.Epochs.Select(e => e.Epoch));
            var a = whole.Transform(data).GetColumn<float[]>("Score").ToArray();
            var b = resumed.Transform(data).GetColumn<float[]>("Score").ToArray();
            for (int i = 0; i < a.Length; i++)
                Assert.Equal(a[i], b[i]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
