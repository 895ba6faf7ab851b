using Microsoft.ML;
using Mlx.Estimators.Runtime;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// Divergence stops training with a clear error (Keras' TerminateOnNaN) unless opted out; options that would fail
/// late or be silently ignored (validation data of another shape, class weights for missing classes, a checkpoint
/// "folder" that is a file, too many threads) fail before training, naming the option.
/// </summary>
public class DivergenceAndOptionTests
{
    [Fact]
    public void A_huge_learning_rate_stops_with_the_epoch_batch_and_fix()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(16, Activation.Relu) }, Optimizer = Optimizer.Sgd(1e30), Epochs = 5, Seed = 1, Threads = 1 };
        var e = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.NeuralNetwork(options).Fit(Datasets.Diabetes(ml)));
        Assert.Matches(@"became (NaN|∞|-∞|Infinity|-Infinity) at epoch 1, batch \d+ of \d+", e.Message);
        Assert.Contains("Lower the learning rate", e.Message);
        Assert.Contains("TerminateOnNaN = false", e.Message);
    }

    [Fact]
    public void A_label_of_3e38_overflows_the_loss_and_stops()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 64).Select(i => new[] { i / 64.0, (i % 7) / 7.0 }).ToArray();
        var labels = rows.Select((r, i) => i == 10 ? 3e38 : r[0]).ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions { Epochs = 2, Seed = 1, Threads = 1 })
            .Fit(LabeledDataViews.WithNumericLabels(ml, rows, labels)));
        Assert.Contains("at epoch 1", e.Message);
    }

    [Fact]
    public void Opting_out_trains_on_and_logs_one_warning()
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, m) => { if (m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning && m.Message.Contains("TerminateOnNaN")) lock (warnings) warnings.Add(m.Message); };
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(8, Activation.Relu) }, Optimizer = Optimizer.Sgd(1e30), Epochs = 3, Seed = 1, Threads = 1, TerminateOnNaN = false };
        var model = ml.Regression.Trainers.NeuralNetwork(options).Fit(Datasets.Diabetes(ml));
        Assert.Equal(3, model.History.Epochs.Count);
        Assert.Single(warnings);
        Assert.False(double.IsFinite(model.History.Epochs[^1].Loss));
    }

    [Fact]
    public void Validation_data_of_another_feature_size_fails_before_training()
    {
        var ml = new MLContext(seed: 1);
        var train = Datasets.Wine(ml);
        var other = ml.Transforms.Concatenate("Features", "Features", "Features").Fit(train).Transform(train);
        var progress = new List<TrainingProgress>();
        var options = new NeuralNetworkOptions { ValidationData = other, Epochs = 2, Seed = 1, Threads = 1, Progress = new SyncProgress(progress) };
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(train));
        Assert.Contains("Column 'Features' has type Vector<Single, 26> in the validation data (NeuralNetworkOptions.ValidationData)", e.Message);
        Assert.Contains("Vector<Single, 13> (as in the training data)", e.Message);
        Assert.Empty(progress); // nothing trained
    }

    [Fact]
    public void Missing_columns_name_the_option_and_the_data()
    {
        var ml = new MLContext(seed: 1);
        var train = Datasets.Wine(ml);
        var label = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { LabelColumnName = "Class", Epochs = 1 }).Fit(train));
        Assert.Contains("'Class' was not found in the training data", label.Message);
        Assert.Contains("NeuralNetworkOptions.LabelColumnName", label.Message);
        var withoutLabel = ml.Transforms.DropColumns("Label").Fit(train).Transform(train);
        var validation = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { ValidationData = withoutLabel, Epochs = 1 }).Fit(train));
        Assert.Contains("in the validation data (NeuralNetworkOptions.ValidationData)", validation.Message);
        Assert.DoesNotContain("inputColumnName", validation.Message);
    }

    [Fact]
    public void Class_weights_for_classes_the_task_does_not_have_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralNetworkOptions { ClassWeights = new Dictionary<int, double> { [0] = 1, [3] = 2 }, Epochs = 1 };
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(Datasets.Wine(ml)));
        Assert.Contains("class index 3, but the label has 3 classes (indices 0 to 2", e.Message);
        var binary = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { ClassWeights = options.ClassWeights, Epochs = 1 }).Fit(Datasets.BreastCancer(ml)));
        Assert.Contains("0 = false, 1 = true", binary.Message);
    }

    [Fact]
    public void A_checkpoint_directory_that_is_a_file_is_refused()
    {
        var ml = new MLContext(seed: 1);
        string file = Path.GetTempFileName();
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { CheckpointDirectory = file, Epochs = 1 }).Fit(Datasets.Wine(ml)));
        Assert.Contains("is a file, not a folder", e.Message);
        // A folder under a file cannot be created: refused before the first epoch, naming the option.
        var under = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { CheckpointDirectory = Path.Combine(file, "run"), Epochs = 1 }).Fit(Datasets.Wine(ml)));
        File.Delete(file);
        Assert.Contains("CheckpointDirectory", under.Message);
        Assert.Contains("cannot be written", under.Message);
    }

    [Fact]
    public void A_damaged_checkpoint_names_the_file_and_the_fix()
    {
        var ml = new MLContext(seed: 1);
        var folder = Path.Combine(Path.GetTempPath(), $"mlx-checkpoint-{Guid.NewGuid():N}");
        try
        {
            NeuralNetworkOptions Options(int epochs) => new() { CheckpointDirectory = folder, Epochs = epochs, Seed = 1, Layers = [Layer.Dense(8, Activation.Relu)] };
            ml.MulticlassClassification.Trainers.NeuralNetwork(Options(2)).Fit(Datasets.Wine(ml));
            var optimizer = Path.Combine(folder, "checkpoint.optimizer");
            File.WriteAllBytes(optimizer, File.ReadAllBytes(optimizer)[..5]);
            var cut = Assert.Throws<InvalidDataException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(Options(4)).Fit(Datasets.Wine(ml)));
            Assert.Contains("optimiser state (checkpoint.optimizer)", cut.Message);
            Assert.Contains("Delete the checkpoint.* files", cut.Message);
            File.WriteAllText(Path.Combine(folder, "checkpoint.history.csv"), "epoch,loss\nnot,a number\n");
            var history = Assert.Throws<InvalidDataException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(Options(4)).Fit(Datasets.Wine(ml)));
            Assert.Contains("history (checkpoint.history.csv)", history.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class SyncProgress(List<TrainingProgress> seen) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            lock (seen)
                seen.Add(value);
        }
    }
}

/// <summary>libtorch's thread count is process-wide: this class runs alone so no other training changes it meanwhile.</summary>
[Collection(nameof(TorchThreadTests))]
public class TorchThreadTests
{
    [Fact]
    public void Threads_are_bounded_by_the_cores_and_restored_after_fit()
    {
        var ml = new MLContext(seed: 1);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Threads = 1000 }));
        Assert.Contains($"between 1 and the number of cores ({Environment.ProcessorCount})", tooMany.Message);

        int before = TorchRuntime.Threads;
        int other = before == 1 ? Math.Min(2, Environment.ProcessorCount) : 1;
        ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Threads = other, Epochs = 1, Seed = 1 }).Fit(Datasets.Wine(ml));
        Assert.Equal(before, TorchRuntime.Threads);
    }
}

/// <summary>Not run in parallel with other test classes.</summary>
[CollectionDefinition(nameof(TorchThreadTests), DisableParallelization = true)]
public class TorchThreadCollection
{
}
