using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Validation;

/// <summary>The leakage check finds planted exact and near duplicates (and nothing else) between training and test rows.</summary>
public class LeakageCheckTests
{
    private sealed class Point
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Planted_exact_and_near_duplicates_are_found_with_their_training_rows()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        var train = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() * 100).ToArray()).ToArray();
        var test = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() * 100).ToArray()).ToArray();
        test[5] = (float[])train[42].Clone();                               // exact
        test[17] = train[7].Select((v, j) => j == 2 ? v + 0.01f : v).ToArray(); // 0.01 away
        var report = ml.Data.CheckLeakage(Load(ml, train), Load(ml, test), maximumDistance: 0.05);
        Assert.Equal([(5L, 42L), (17L, 7L)], report.Shared.Select(s => (s.TestRow, s.TrainRow)));
        Assert.Equal([5L], report.ExactDuplicates.Select(s => s.TestRow));
        Assert.Equal(0.01, report.Shared[1].Distance, 3);
        Assert.Equal(2 / 200.0, report.Fraction, 12);
        // Independent check: the smallest distance of any other test row to any training row is far above 0.05.
        double closest = test.Where((_, i) => i != 5 && i != 17).Min(t => train.Min(r => Math.Sqrt(t.Zip(r, (a, b) => (double)(a - b) * (a - b)).Sum())));
        Assert.True(closest > 0.05, $"{closest}");
        Assert.Single(ml.Data.CheckLeakage(Load(ml, train), Load(ml, test)).Shared); // distance 0: exact only
        Assert.Contains("2 of 200 evaluation rows", report.ToString());
    }

    private static IDataView Load(MLContext ml, float[][] rows) => ml.Data.LoadFromEnumerable(rows.Select(r => new Point { Features = r }).ToArray());
}
