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

    public sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Label { get; set; }
    }
}
