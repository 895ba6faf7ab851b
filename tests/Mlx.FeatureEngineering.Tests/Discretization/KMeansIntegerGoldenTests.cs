using System.Text.Json;
using Microsoft.ML;
using Mlx.FeatureEngineering.Discretization;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Discretization;

/// <summary>
/// k-means bins on integer-valued data equal scikit-learn 1.2.1's (tests/golden/sklearn/make_kmeans_bins.py): many
/// points sit exactly midway between two centres there, and only scikit-learn's own arithmetic sends them the same way.
/// </summary>
public class KMeansIntegerGoldenTests
{
    [Theory]
    [InlineData("digits_kmeans_bins.json", "digits.csv", 5)]
    [InlineData("poisson_kmeans_bins.json", "poisson_counts.csv", 6)]
    public void Float64_edges_equal_sklearn_bit_for_bit(string golden, string csv, int binCount)
    {
        var (columns, edges, _) = Load(golden);
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(csv)).Numeric(columns);
        for (int j = 0; j < columns.Length; j++)
        {
            var values = rows.Select(r => r[j]).ToArray();
            var actual = BinEdges.KMeans(values, values.Min(), values.Max(), binCount);
            Assert.True(edges[j].SequenceEqual(actual), $"{columns[j]}: edges {string.Join(", ", actual.Select(e => e.ToString("R")))}, scikit-learn {string.Join(", ", edges[j].Select(e => e.ToString("R")))}");
        }
    }

    [Theory]
    [InlineData("digits_kmeans_bins.json", "digits.csv", 5)]
    [InlineData("poisson_kmeans_bins.json", "poisson_counts.csv", 6)]
    public void Every_bin_of_the_pipeline_equals_sklearn(string golden, string csv, int binCount)
    {
        var (columns, _, bins) = Load(golden);
        var rows = CsvTable.Load(RepoPaths.SklearnGolden(csv)).Numeric(columns);
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, rows, columns);
        var actual = DataViews.ReadVectors(ml.Transforms.Discretize("Bins", "Features", binCount, BinningStrategy.KMeans).Fit(data).Transform(data), "Bins");
        int differing = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < columns.Length; j++)
                differing += actual[i][j] == bins[i][j] ? 0 : 1;
        Assert.Equal(0, differing);
        Assert.Equal(rows.Length * columns.Length, bins.Sum(r => r.Length));
    }

    private static (string[] Columns, double[][] Edges, int[][] Bins) Load(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepoPaths.SklearnGolden(file)));
        var root = json.RootElement;
        return (GoldenJson.Strings(root.GetProperty("columns")), GoldenJson.Matrix(root.GetProperty("bin_edges")),
            root.GetProperty("bins").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray());
    }
}
