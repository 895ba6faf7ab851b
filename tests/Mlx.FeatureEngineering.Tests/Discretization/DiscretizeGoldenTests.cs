using Microsoft.ML;
using Mlx.FeatureEngineering.Discretization;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Discretization;

/// <summary>Agreement with scikit-learn 1.2.1 <c>KBinsDiscretizer(n_bins=5, subsample=None)</c> on every golden dataset.</summary>
public class DiscretizeGoldenTests
{
    public static TheoryData<string, BinningStrategy> Cases()
    {
        var data = new TheoryData<string, BinningStrategy>();
        foreach (var d in new[] { "iris", "wine", "breast_cancer", "diabetes", "diabetes_scaled", "mixed_cat" })
        {
            foreach (var s in Enum.GetValues<BinningStrategy>())
                data.Add(d, s);
        }
        return data;
    }

    private static string Key(BinningStrategy s) => s.ToString().ToLowerInvariant();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64_edges_match_sklearn_to_1e_9(string dataset, BinningStrategy strategy)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv")).Numeric(columns);
        var expected = GoldenJson.Matrix(golden.At("kbins", Key(strategy), "bin_edges"));
        for (int j = 0; j < columns.Length; j++)
        {
            var values = rows.Select(r => r[j]).ToArray();
            double min = values.Min(), max = values.Max();
            var edges = strategy switch
            {
                BinningStrategy.Uniform => BinEdges.Uniform(min, max, 5),
                BinningStrategy.Quantile => BinEdges.Quantile(values, min, max, 5),
                _ => BinEdges.KMeans(values, min, max, 5),
            };
            Tolerance.Close(expected[j], edges, 1e-9, what: $"{dataset} {strategy} {columns[j]} edges");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pipeline_matches_sklearn_edges_bins_and_counts(string dataset, BinningStrategy strategy)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var section = golden.At("kbins", Key(strategy));
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv")).Numeric(columns);
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, rows, columns);
        var model = ml.Transforms.Discretize("Bins", "Features", 5, strategy).Fit(data);

        // Edges from float32 data: 1e-4 relative to the edge (floor 1e-3 for edges near zero).
        var expectedEdges = GoldenJson.Matrix(section.GetProperty("bin_edges"));
        for (int j = 0; j < columns.Length; j++)
            Tolerance.Close(expectedEdges[j], model.BinEdges[j].ToArray(), 1e-4, floor: 1e-3, what: $"{columns[j]} edges");
        Assert.Equal(GoldenJson.Vector(section.GetProperty("n_bins")).Select(v => (int)v), model.BinCounts);

        var bins = DataViews.ReadVectors(model.Transform(data), "Bins");
        var first5 = GoldenJson.Matrix(section.GetProperty("first5"));
        for (int i = 0; i < 5; i++)
            Assert.Equal(first5[i].Select(v => (float)v), bins[i]);

        // Every row: the bin sklearn's edges give the float64 value, except where the value ties an inner edge at
        // Single precision (the data's precision), where either side is right. Then the golden per-bin counts.
        var expectedCounts = GoldenJson.Matrix(section.GetProperty("bin_counts"));
        int ties = 0;
        for (int j = 0; j < columns.Length; j++)
        {
            var inner = expectedEdges[j][1..^1];
            for (int i = 0; i < rows.Length; i++)
            {
                double v = rows[i][j];
                if (inner.Any(e => (float)e == (float)v && e != v))
                {
                    ties++;
                    continue;
                }
                Assert.Equal(inner.Count(e => e <= v), (int)bins[i][j]);
            }
            if (ties == 0)
            {
                for (int b = 0; b < expectedCounts[j].Length; b++)
                    Assert.Equal((int)expectedCounts[j][b], bins.Count(r => r[j] == b));
            }
        }
        Assert.True(ties <= rows.Length / 10, $"{ties} values tie an edge at Single precision");
    }
}
