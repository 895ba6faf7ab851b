using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.DataQuality;

/// <summary>Missing-value augmentation: originals first and untouched, copies blanked at the rate, other columns kept, repeatable.</summary>
public class MissingValueAugmentationTests
{
    private sealed class Row
    {
        [VectorType(8)]
        public float[] Features { get; set; } = [];
        public string Name { get; set; } = "";
        public float Label { get; set; }
    }

    [Fact]
    public void Copies_are_blanked_at_the_rate_and_everything_else_is_kept()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 2000).Select(i => new Row { Features = Enumerable.Range(0, 8).Select(j => (float)(i * 8 + j)).ToArray(), Name = $"r{i}", Label = i }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var augmented = ml.Data.AugmentWithMissingValues(data, "Features", rate: 0.25, copies: 2, seed: 3);
        Assert.Equal(6000, augmented.GetRowCount());
        var features = augmented.GetColumn<float[]>("Features").ToArray();
        var names = augmented.GetColumn<string>("Name").ToArray();
        var labels = augmented.GetColumn<float>("Label").ToArray();
        Assert.Equal(6000, features.Length);
        int blanked = 0;
        for (int i = 0; i < 6000; i++)
        {
            int source = i % 2000;
            Assert.Equal($"r{source}", names[i]);
            Assert.Equal(source, labels[i]);
            for (int j = 0; j < 8; j++)
            {
                if (float.IsNaN(features[i][j]))
                {
                    Assert.True(i >= 2000); // originals are never blanked
                    blanked++;
                }
                else
                {
                    Assert.Equal(source * 8 + j, features[i][j]);
                }
            }
        }
        // 32,000 copied values at 0.25: 8,000 expected, σ ≈ 77; five sigmas.
        Assert.InRange(blanked, 8000 - 390, 8000 + 390);
        Assert.Equal(features, ml.Data.AugmentWithMissingValues(data, "Features", 0.25, 2, seed: 3).GetColumn<float[]>("Features").ToArray(), new NanEqual());
        Assert.NotEqual(features, ml.Data.AugmentWithMissingValues(data, "Features", 0.25, 2, seed: 4).GetColumn<float[]>("Features").ToArray(), new NanEqual());
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.AugmentWithMissingValues(data, "Features", 1.5));
        Assert.Throws<ArgumentException>(() => ml.Data.AugmentWithMissingValues(data, "Missing", 0.1));
    }

    private sealed class NanEqual : IEqualityComparer<float[]>
    {
        public bool Equals(float[]? a, float[]? b) => a!.Zip(b!, (x, y) => x.Equals(y)).All(e => e);

        public int GetHashCode(float[] obj) => 0;
    }
}
