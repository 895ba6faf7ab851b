using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Training;

/// <summary>Runs alone: libtorch's live-tensor count and thread count are process-wide, and other tests use them in parallel.</summary>
[CollectionDefinition(nameof(TensorCounting), DisableParallelization = true)]
public sealed class TensorCounting
{
}

/// <summary>Streaming from the data view takes exactly the in-memory steps; no tensor outlives its epoch.</summary>
[Collection(nameof(TensorCounting))]
public class StreamingAndMemoryTests
{
    private static NeuralNetworkOptions Options() => new()
    {
        Layers = new Layer[] { Layer.Dense(16, Activation.Relu) },
        Epochs = 4,
        BatchSize = 50,
        Seed = 9,
        Threads = 1,
        Shuffle = false,
    };

    [Fact]
    public void Streaming_batches_equal_in_memory_batches_in_the_same_order()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.BreastCancer(ml);
        var inMemory = ml.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(data);
        var streamingOptions = Options();
        streamingOptions.StreamFromDataView = true;
        var streamed = ml.BinaryClassification.Trainers.NeuralNetwork(streamingOptions).Fit(data);
        Assert.Equal(inMemory.History.Epochs.Select(e => e.Loss), streamed.History.Epochs.Select(e => e.Loss));
        Assert.Equal(inMemory.Transform(data).GetColumn<float>("Score"), streamed.Transform(data).GetColumn<float>("Score"));
    }

    [Fact]
    public void Streaming_refuses_a_validation_fraction()
    {
        var ml = new MLContext(seed: 1);
        var options = Options();
        options.StreamFromDataView = true;
        options.ValidationFraction = 0.2;
        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(Datasets.BreastCancer(ml)));
        Assert.Contains("ValidationData", e.Message);
    }

    [Theory]
    [InlineData(SparseInput.Dense)]
    [InlineData(SparseInput.Sparse)]
    public void Live_tensor_count_is_flat_across_epochs(SparseInput input)
    {
        // Tensors other tests left to the finalizer must not be released mid-run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var ml = new MLContext(seed: 1);
        var counts = new List<long>();
        var options = Options();
        options.SparseInput = input;
        options.Epochs = 6;
        options.Shuffle = true;
        options.ValidationFraction = 0.2;
        options.Optimizer = Optimizer.Adam();
        options.Progress = new Recorder(p => { if (p.EpochEnd != null) counts.Add(TorchSharp.torch.Tensor.TotalCount); });
        ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(Datasets.BreastCancer(ml));
        Assert.Equal(6, counts.Count);
        // Epoch 1 may create lasting state (optimiser buffers exist from the start); after it, nothing accumulates.
        Assert.All(counts.Skip(1), c => Assert.Equal(counts[1], c));
    }

    [Fact]
    public void Scores_are_bit_identical_whatever_the_thread_count()
    {
        // MKL's AVX-512 kernels split work by thread count; its strict reproducible mode (MklReproducibility) keeps one
        // order of additions, so a model scores the same in a process with other threads (1 ulp apart without it, measured).
        var ml = new MLContext(seed: 1);
        var data = Datasets.BreastCancer(ml);
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(data);
        int before = Mlx.Estimators.Runtime.TorchRuntime.Threads;
        try
        {
            Mlx.Estimators.Runtime.TorchRuntime.SetThreads(1);
            var one = model.Transform(data).GetColumn<float>("Score").ToArray();
            Mlx.Estimators.Runtime.TorchRuntime.SetThreads(2);
            var two = model.Transform(data).GetColumn<float>("Score").ToArray();
            Assert.Equal(one, two);
        }
        finally
        {
            Mlx.Estimators.Runtime.TorchRuntime.SetThreads(before);
        }
    }

    private sealed class Recorder(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
