using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Batching;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// NeuralNetworkOptions.Augmentation changes every training batch (new draws each epoch, fixed by the seed) and never the
/// validation rows or scoring.
/// </summary>
public class AugmentationHookTests
{
    /// <summary>Adds seeded noise and records what it was given.</summary>
    private sealed class NoisyAugmentation : IBatchAugmentation
    {
        public int Calls, Rows;
        public List<int[]> Shapes = new();

        public void Augment(Span<float> batch, int rows, IReadOnlyList<int> exampleShape, Random random)
        {
            Calls++;
            Rows += rows;
            Shapes.Add(exampleShape.ToArray());
            Assert.Equal(rows * exampleShape.Aggregate(1, (a, b) => a * b), batch.Length);
            for (int i = 0; i < batch.Length; i++)
                batch[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        }
    }

    private static NeuralNetworkOptions Options(IBatchAugmentation? augmentation) => new()
    {
        InputShape = new[] { 1, 8, 8 },
        Layers = new Layer[] { Layer.Conv2D(4, 3, Activation.Relu), Layer.Flatten() },
        Epochs = 3, BatchSize = 50, Seed = 1, Threads = 1, ValidationFraction = 0.2, Augmentation = augmentation,
    };

    [Fact]
    public void Every_training_batch_is_augmented_and_nothing_else()
    {
        var ml = new MLContext(seed: 1);
        var data = DigitsData.Load(ml);
        var hook = new NoisyAugmentation();
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(hook)).Fit(data);
        int trainRows = (int)Math.Floor(1797 * 0.8);
        Assert.Equal(3 * trainRows, hook.Rows); // the training rows of each epoch, not the 360 validation rows
        Assert.Equal(3 * ((trainRows + 49) / 50), hook.Calls);
        Assert.All(hook.Shapes, s => Assert.Equal(new[] { 1, 8, 8 }, s));
        int calls = hook.Calls;
        model.Transform(data).GetColumn<float[]>("Score").ToList();
        Assert.Equal(calls, hook.Calls); // scoring never augments

        // Seeded: the same run twice has the same history; without augmentation it differs.
        var again = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(new NoisyAugmentation())).Fit(data);
        Assert.Equal(model.History.Epochs.Select(e => e.Loss), again.History.Epochs.Select(e => e.Loss));
        var plain = ml.MulticlassClassification.Trainers.NeuralNetwork(Options(null)).Fit(data);
        Assert.NotEqual(model.History.Epochs.Select(e => e.Loss), plain.History.Epochs.Select(e => e.Loss));
    }
}
