using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Imbalance;

/// <summary>
/// Resampling against tests/golden/imbalance/imbalance.json (make_imbalance_golden.py: wine, standardised; scikit-learn's
/// neighbours, imbalanced-learn 0.10's counts and class weights): counts as imbalanced-learn, SMOTE points on segments to
/// same-class nearest neighbours (the neighbours = scikit-learn's), originals kept, types and key values kept, seeds.
/// </summary>
public class ResamplingTests
{
    private sealed class Wine
    {
        [VectorType(13)]
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
    }

    private static JsonElement Golden() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "imbalance", "imbalance.json"))).RootElement;

    private static (IDataView Data, float[][] X, int[] Y) Data(MLContext ml)
    {
        var g = Golden();
        var x = g.GetProperty("features").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var y = g.GetProperty("classes").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        // Text labels "c0", "c1", "c2" (class order = scikit-learn's sorted classes).
        var data = ml.Data.LoadFromEnumerable(x.Zip(y, (f, c) => new Wine { Features = f, Label = $"c{c}" }).ToArray());
        return (data, x, y);
    }

    private static int[] Counts(IDataView data, string label = "Label") =>
        data.GetColumn<string>(label).GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Count()).ToArray();

    [Fact]
    public void Smote_reaches_imbalanced_learns_counts_with_points_on_segments_to_same_class_nearest_neighbours()
    {
        var ml = new MLContext(seed: 1);
        var (data, x, y) = Data(ml);
        var golden = Golden();
        var neighbors = golden.GetProperty("neighbors").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.True(golden.GetProperty("smote_points_on_segments").GetBoolean()); // the property holds for imbalanced-learn's own points

        // Mlx's neighbour search = scikit-learn's, row by row.
        for (int c = 0; c < 3; c++)
        {
            var members = Enumerable.Range(0, y.Length).Where(i => y[i] == c).ToArray();
            var mine = NearestNeighbors.Within(x.SelectMany(r => r).ToArray(), 13, members, 5);
            for (int i = 0; i < members.Length; i++)
                Assert.Equal(neighbors[members[i]], mine[i].Select(j => members[j]).ToArray());
        }

        var resampled = ml.Data.Resample(data, "Label", Resampling.Smote(5), seed: 7);
        Assert.Equal(Ints(golden, "smote_counts"), Counts(resampled));
        var features = resampled.GetColumn<float[]>("Features").ToArray();
        var labels = resampled.GetColumn<string>("Label").ToArray();
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(x[i], features[i]); // originals first, unchanged
            Assert.Equal($"c{y[i]}", labels[i]);
        }
        for (int i = y.Length; i < features.Length; i++)
        {
            int c = labels[i][1] - '0';
            var p = features[i];
            bool onSegment = Enumerable.Range(0, y.Length).Where(r => y[r] == c).Any(r => neighbors[r].Any(n => OnSegment(p, x[r], x[n])));
            Assert.True(onSegment, $"synthetic row {i} (class {c}) is not on a segment between a row and one of its 5 nearest same-class rows");
        }
        Assert.Equal(features, ml.Data.Resample(data, "Label", Resampling.Smote(5), seed: 7).GetColumn<float[]>("Features").ToArray());
        Assert.NotEqual(features[^1], ml.Data.Resample(data, "Label", Resampling.Smote(5), seed: 8).GetColumn<float[]>("Features").Last());
    }

    // p = a + t·(b − a) with t in [0, 1], to float32 rounding.
    private static bool OnSegment(float[] p, float[] a, float[] b)
    {
        double dot = 0, norm = 0;
        for (int j = 0; j < p.Length; j++)
        {
            dot += (p[j] - a[j]) * (double)(b[j] - a[j]);
            norm += (b[j] - a[j]) * (double)(b[j] - a[j]);
        }
        double t = dot / norm;
        if (t < -1e-6 || t > 1 + 1e-6)
            return false;
        for (int j = 0; j < p.Length; j++)
        {
            if (Math.Abs(a[j] + t * (b[j] - a[j]) - p[j]) > 1e-5)
                return false;
        }
        return true;
    }

    [Fact]
    public void Random_over_and_under_sampling_reach_imbalanced_learns_counts_with_copies_of_real_rows()
    {
        var ml = new MLContext(seed: 1);
        var (data, x, y) = Data(ml);
        var golden = Golden();
        var rows = x.Select((f, i) => (string.Join(",", f), $"c{y[i]}")).ToHashSet();

        var over = ml.Data.Resample(data, "Label", Resampling.RandomOver(), seed: 3);
        Assert.Equal(Ints(golden, "random_over_counts"), Counts(over));
        var overRows = over.GetColumn<float[]>("Features").Zip(over.GetColumn<string>("Label"), (f, l) => (string.Join(",", f), l)).ToArray();
        Assert.All(overRows, r => Assert.Contains(r, rows)); // duplicates of rows of the same class

        var under = ml.Data.Resample(data, "Label", Resampling.RandomUnder(), seed: 3);
        Assert.Equal(Ints(golden, "random_under_counts"), Counts(under));
        var underRows = under.GetColumn<float[]>("Features").Zip(under.GetColumn<string>("Label"), (f, l) => (string.Join(",", f), l)).ToArray();
        Assert.All(underRows, r => Assert.Contains(r, rows));
        Assert.Equal(underRows.Length, underRows.Distinct().Count()); // without replacement

        // A ratio: every class to 3/4 of the majority (71 → 53; classes above it keep their rows).
        Assert.Equal([59, 71, 53], Counts(ml.Data.Resample(data, "Label", Resampling.RandomOver(0.75), seed: 3)));
        // Half the majority: every class already has more, so nothing would change (imbalanced-learn raises too).
        var nothing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Resample(data, "Label", Resampling.RandomOver(0.5), seed: 3));
        Assert.Contains("already has 0.676 × the rows", nothing.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Resample(data, "Label", Resampling.RandomUnder(0.5), seed: 3));
        Assert.Equal([59, 71, 59], Counts(ml.Data.Resample(data, "Label", Resampling.Smote(ratio: 59.0 / 71 + 1e-9), seed: 3)));
    }

    [Fact]
    public void Key_labels_keep_their_key_type_and_class_names_and_balanced_weights_equal_scikit_learns()
    {
        var ml = new MLContext(seed: 1);
        var (data, _, y) = Data(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var resampled = ml.Data.Resample(keyed, "Label", Resampling.Smote(3), seed: 1);
        Assert.Equal(keyed.Schema["Label"].Type, resampled.Schema["Label"].Type);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        resampled.Schema["Label"].GetKeyValues(ref names);
        Assert.Equal(["c0", "c1", "c2"], names.DenseValues().Select(v => v.ToString()));
        Assert.Equal(keyed.GetColumn<uint>("Label"), resampled.GetColumn<uint>("Label").Take(y.Length)); // the same raw keys
        var back = ml.Transforms.Conversion.MapKeyToValue("Label").Fit(resampled).Transform(resampled);
        Assert.Equal(Ints(Golden(), "smote_counts"), Counts(back));
        Assert.Equal(y.Select(c => $"c{c}"), back.GetColumn<string>("Label").Take(y.Length));

        var weighted = ml.Data.AddBalancedClassWeights(data, "Label");
        var expected = Golden().GetProperty("balanced_weights").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var weights = weighted.GetColumn<float>("Weight").ToArray();
        for (int i = 0; i < y.Length; i++)
            Assert.Equal(expected[y[i]], weights[i], 6);
    }

    private sealed class Cancer
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    [Fact]
    public void Tomek_links_remove_exactly_the_rows_imbalanced_learn_removes()
    {
        var ml = new MLContext(seed: 1);
        var g = Golden();
        var x = g.GetProperty("tomek_features").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var y = g.GetProperty("tomek_classes").EnumerateArray().Select(v => v.GetInt32() == 1).ToArray();
        var data = ml.Data.LoadFromEnumerable(x.Select((f, i) => new Cancer { Features = f, Label = y[i] }).ToArray());
        var kept = ml.Data.Resample(data, "Label", Resampling.TomekLinks());
        var keptRows = kept.GetColumn<float[]>("Features").Select(f => Array.FindIndex(x, r => r.SequenceEqual(f))).ToArray();
        Assert.Equal(Ints(g, "tomek_kept"), keptRows); // 6 majority-class rows of links removed, data order kept
        Assert.Equal(y.Count(l => !l), kept.GetColumn<bool>("Label").Count(l => !l)); // the minority (malignant, false) untouched
    }

    private sealed class Mixed
    {
        [VectorType(5)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    [Fact]
    public void Smote_nc_interpolates_continuous_slots_and_takes_the_neighbours_most_frequent_categories()
    {
        // tests/golden/imbalance/make_smotenc_golden.py: neighbours under imbalanced-learn's SMOTENC encoding, its counts.
        var g = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "imbalance", "smotenc.json"))).RootElement;
        var x = g.GetProperty("features").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var y = g.GetProperty("classes").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var neighbors = g.GetProperty("neighbors").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(x.Select((f, i) => new Mixed { Features = f, Label = y[i] == 1 }).ToArray());
        var resampled = ml.Data.Resample(data, "Label", Resampling.SmoteNc([1, 3]), seed: 2);
        var features = resampled.GetColumn<float[]>("Features").ToArray();
        var labels = resampled.GetColumn<bool>("Label").ToArray();
        Assert.Equal(Ints(g, "counts"), new[] { labels.Count(l => !l), labels.Count(l => l) });
        int[] continuous = [0, 2, 4];
        for (int i = y.Length; i < features.Length; i++)
        {
            var p = features[i];
            // Some minority row r and one of its 5 neighbours n (imbalanced-learn's) such that the continuous slots lie on
            // the segment r → n, and each categorical slot is the most frequent code among r's neighbours (smallest on ties).
            bool explained = Enumerable.Range(0, y.Length).Where(r => y[r] == 1).Any(r =>
                neighbors[r].Any(n => OnSegment(continuous.Select(j => p[j]).ToArray(), continuous.Select(j => x[r][j]).ToArray(), continuous.Select(j => x[n][j]).ToArray()))
                && new[] { 1, 3 }.All(j => p[j] == neighbors[r].Select(n => x[n][j]).GroupBy(v => v).OrderByDescending(c => c.Count()).ThenBy(c => c.Key).First().Key));
            Assert.True(explained, $"synthetic row {i}: [{string.Join(", ", p)}]");
        }
        Assert.Throws<ArgumentException>(() => Resampling.SmoteNc([]));
    }

    [Fact]
    public void Bad_input_names_the_column_and_the_fix()
    {
        var ml = new MLContext(seed: 1);
        var one = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new Wine { Features = new float[13], Label = "a" }).ToArray());
        Assert.Contains("single class", Assert.Throws<InvalidOperationException>(() => ml.Data.Resample(one, "Label", Resampling.Smote())).Message);
        var tiny = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 12).Select(i => new Wine { Features = Enumerable.Repeat((float)i, 13).ToArray(), Label = i < 3 ? "a" : "b" }).ToArray());
        var few = Assert.Throws<InvalidOperationException>(() => ml.Data.Resample(tiny, "Label", Resampling.Smote(5)));
        Assert.Contains("class a has 3 rows", few.Message);
        Assert.Contains("neighbors: 2", few.Message);
        var nan = ml.Data.LoadFromEnumerable(new[] { new Wine { Features = Enumerable.Repeat(float.NaN, 13).ToArray(), Label = "a" }, new Wine { Features = new float[13], Label = "b" } });
        Assert.Contains("Features", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Resample(nan, "Label", Resampling.RandomOver())).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.Smote(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.RandomUnder(1.5));
        Assert.Throws<ArgumentException>(() => ml.Data.Resample(one, "Missing", Resampling.Smote()));
    }

    private static int[] Ints(JsonElement g, string name) => g.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
