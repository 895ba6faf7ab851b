using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Estimators.Tests.Data;

/// <summary>Features read from an IDataView reach the tensor unchanged, across feature chunks and splits.</summary>
public class TrainingDataTests
{
    [Fact]
    public void Tensor_holds_every_value_across_chunks_and_splits()
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var ml = new MLContext(seed: 1);
        const int D = 100_000, N = 100; // 41 rows per 4M-value chunk: three chunks
        var rows = Enumerable.Range(0, N).Select(i => new Row { Features = Enumerable.Range(0, D).Select(j => (float)(i * 7 + j % 13)).ToArray(), Label = i }).ToList();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, D);
        var data = TrainingData.Read(ml.Data.LoadFromEnumerable(rows, definition), new NeuralNetworkOptions(), NeuralNetworkTask.Regression, 1);
        var (head, tail) = data.Split(37);
        foreach (var (part, first) in new[] { (data, 0), (head, 0), (tail, 37) })
        {
            using var tensor = part.FeatureTensor();
            var values = tensor.data<float>().ToArray();
            Assert.Equal((long)part.Rows * D, values.Length);
            for (int i = 0; i < part.Rows; i++)
            {
                Assert.Equal(rows[first + i].Features[0], values[(long)i * D]);
                Assert.Equal(rows[first + i].Features[D - 1], values[(long)i * D + D - 1]);
                Assert.Equal(first + i, part.Targets[i]);
            }
        }
    }

    /// <summary>
    /// A tensor large enough for <see cref="PagePrefaulter"/> (12 MB): every value, zeros and negative zeros included,
    /// arrives bit for bit while the worker touches the pages the reader is filling.
    /// </summary>
    [Fact]
    public void Prefaulted_tensor_keeps_every_value_bit_for_bit()
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        var ml = new MLContext(seed: 1);
        const int D = 1000, N = 3000;
        Assert.True((long)D * N * sizeof(float) >= PagePrefaulter.MinimumBytes);
        var random = new Random(5);
        var rows = Enumerable.Range(0, N).Select(i => new Row
        {
            Features = Enumerable.Range(0, D).Select(_ => random.Next(4) switch { 0 => 0f, 1 => -0f, _ => random.NextSingle() - 0.5f }).ToArray(),
            Label = i,
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, D);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            using var data = TrainingData.Read(ml.Data.LoadFromEnumerable(rows, definition), new NeuralNetworkOptions(), NeuralNetworkTask.Regression, 1);
            using var tensor = data.FeatureTensor();
            var values = tensor.data<float>().ToArray();
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < D; j++)
                {
                    float expected = rows[i].Features[j], actual = values[(long)i * D + j];
                    if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual))
                        Assert.Fail($"row {i}, feature {j}: {actual} (bits {BitConverter.SingleToInt32Bits(actual):X8}) instead of {expected} (bits {BitConverter.SingleToInt32Bits(expected):X8})");
                }
            }
        }
    }

    /// <summary>
    /// The worker never changes a value, even on pages already written (a reader that got ahead of it): every page of
    /// a filled 16 MB tensor is touched while the reader claims to be at the start, and all values stay.
    /// </summary>
    [Fact]
    public void Prefaulter_touching_written_pages_changes_nothing()
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        using var tensor = TorchSharp.torch.arange(1, 1 + (4 << 20), dtype: TorchSharp.torch.ScalarType.Float32);
        var before = tensor.data<float>().ToArray();
        using (var prefaulter = PagePrefaulter.Start(tensor))
        {
            Assert.NotNull(prefaulter);
            Assert.True(prefaulter.WaitUntilDone(TimeSpan.FromSeconds(30)));
        }
        var after = tensor.data<float>().ToArray();
        for (int i = 0; i < before.Length; i++)
            Assert.True(before[i] == after[i], $"value {i} changed from {before[i]} to {after[i]}");
    }

    public sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Label { get; set; }
    }
}
