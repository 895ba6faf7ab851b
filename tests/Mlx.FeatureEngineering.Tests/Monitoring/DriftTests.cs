using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Monitoring;

/// <summary>
/// FeatureProfile and DriftReport against tests/golden/drift/drift.json (make_drift_golden.py: scipy's ks_2samp statistic,
/// Kolmogorov's limiting distribution for the p-value (scipy's own "asymp" p-value within 5 %), jensenshannon, PSI and
/// bins by hand with numpy): one drifted slot, one stable, one with a
/// missing-rate change; JSON round trip; CSV; importance order.
/// </summary>
public class DriftTests
{
    private sealed class Row
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Shop
    {
        [VectorType(1)]
        public float[] Features { get; set; } = [];
        public string Store { get; set; } = "";
    }

    [Fact]
    public void Category_frequencies_drift_by_psi_and_jensen_shannon_computed_by_hand()
    {
        var ml = new MLContext(seed: 1);
        IDataView Shops(params (string Store, int Count)[] stores) =>
            ml.Data.LoadFromEnumerable(stores.SelectMany(s => Enumerable.Repeat(s.Store, s.Count)).Select((s, i) => new Shop { Features = [i], Store = s }).ToArray());
        var profile = FeatureProfile.Create(Shops(("a", 50), ("b", 30), ("c", 15), ("", 5)), categoricalColumns: ["Store"]);
        string path = Path.Combine(Path.GetTempPath(), $"mlx-profile-{Guid.NewGuid():N}.json");
        profile.Save(path);
        var reloaded = FeatureProfile.Load(path);
        File.Delete(path);
        var store = reloaded.Compare(Shops(("a", 30), ("b", 30), ("d", 40))).Slots.Single(s => s.Name == "Store");
        // Shares of the non-missing rows: reference a .50/.95, b .30/.95, c .15/.95; current a .3, b .3, d .4; floor 1e-4 for PSI.
        double[] e = [50 / 95.0, 30 / 95.0, 15 / 95.0, 0], c = [0.3, 0.3, 0, 0.4];
        double psi = e.Zip(c, (x, y) => (Math.Max(y, 1e-4) - Math.Max(x, 1e-4)) * Math.Log(Math.Max(y, 1e-4) / Math.Max(x, 1e-4))).Sum();
        double js = Math.Sqrt(e.Zip(c, (x, y) =>
        {
            double m = (x + y) / 2;
            return (x > 0 ? 0.5 * x * Math.Log(x / m) : 0) + (y > 0 ? 0.5 * y * Math.Log(y / m) : 0);
        }).Sum());
        Assert.Equal(psi, store.PopulationStabilityIndex, 12);
        Assert.Equal(js, store.JensenShannon, 12);
        Assert.Equal(0.05, store.ReferenceMissingRate, 12);
        Assert.Equal(0, store.CurrentMissingRate);
        Assert.True(store.Drifted);
        Assert.True(double.IsNaN(store.KolmogorovSmirnov));
    }

    [Fact]
    public void A_column_going_missing_drifts_although_its_present_values_keep_their_distribution()
    {
        var ml = new MLContext(seed: 1);
        IDataView Values(Func<int, bool> missing) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, 1000)
            .Select(i => new Row { Features = [missing(i) ? float.NaN : i % 100, i % 7, i % 13] }).ToArray());
        var profile = FeatureProfile.Create(Values(_ => false));
        // 30 % of slot 0 missing, the present values still spread evenly over 0..99: PSI ~0 and KS ~0, yet drift.
        var thirty = profile.Compare(Values(i => i % 10 < 3)).Slots.Single(s => s.Slot == 0);
        Assert.Equal(0.3, thirty.CurrentMissingRate, 12);
        Assert.True(thirty.PopulationStabilityIndex < 0.01, $"PSI {thirty.PopulationStabilityIndex}");
        Assert.True(thirty.PValue > 0.5, $"KS p {thirty.PValue}");
        Assert.True(thirty.Drifted);
        // 5 % missing stays under the 10-point threshold; a threshold of 0.05 catches it.
        Assert.False(profile.Compare(Values(i => i % 20 == 0)).Slots.Single(s => s.Slot == 0).Drifted);
        Assert.True(profile.Compare(Values(i => i % 20 == 0), missingRateThreshold: 0.05).Slots.Single(s => s.Slot == 0).Drifted);
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.Compare(Values(_ => false), missingRateThreshold: 0));
    }

    private static IDataView Load(MLContext ml, JsonElement rows) =>
        ml.Data.LoadFromEnumerable(rows.EnumerateArray().Select(r => new Row { Features = r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? float.NaN : (float)v.GetDouble()).ToArray() }).ToArray());

    [Fact]
    public void Statistics_equal_scipy_and_numpy_and_survive_a_json_round_trip()
    {
        var ml = new MLContext(seed: 1);
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "drift", "drift.json"))).RootElement;
        var profile = FeatureProfile.Create(Load(ml, golden.GetProperty("reference")));
        var current = Load(ml, golden.GetProperty("current"));
        string path = Path.Combine(Path.GetTempPath(), $"mlx-profile-{Guid.NewGuid():N}.json");
        try
        {
            profile.Save(path);
            var reloaded = FeatureProfile.Load(path);
            foreach (var report in new[] { profile.Compare(current), reloaded.Compare(current) })
            {
                Assert.Equal(0, report.Slots[0].Slot); // the drifted slot first (largest PSI)
                foreach (var s in report.Slots)
                {
                    var g = golden.GetProperty("slots")[s.Slot];
                    Assert.Equal(g.GetProperty("ks").GetDouble(), s.KolmogorovSmirnov, 12);
                    Assert.Equal(g.GetProperty("p").GetDouble(), s.PValue, Math.Max(1e-12, 1e-9 * g.GetProperty("p").GetDouble()));
                    // scipy 1.10's "asymp" (kstwo at n = round(nm / (n + m))) differs from the limiting distribution by a few %.
                    Assert.Equal(g.GetProperty("p_scipy").GetDouble(), s.PValue, Math.Max(1e-12, 0.05 * g.GetProperty("p_scipy").GetDouble()));
                    Assert.Equal(g.GetProperty("psi").GetDouble(), s.PopulationStabilityIndex, 10);
                    Assert.Equal(g.GetProperty("js").GetDouble(), s.JensenShannon, 10);
                    Assert.Equal(g.GetProperty("reference_missing").GetDouble(), s.ReferenceMissingRate, 12);
                    Assert.Equal(g.GetProperty("current_missing").GetDouble(), s.CurrentMissingRate, 12);
                    var edges = g.GetProperty("edges").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    Assert.Equal(edges.Length, profile.Slots[s.Slot].Edges.Length);
                    for (int b = 0; b < edges.Length; b++)
                        Assert.Equal(edges[b], profile.Slots[s.Slot].Edges[b], 9);
                }
                // Slot 0 by its distribution; slot 2 because its missing share went from 4.3 % to 19.9 % (≥ 10 points).
                Assert.Equal([0, 2], report.Drifted.Select(s => s.Slot).Order());
            }
            Assert.Equal([0], profile.Compare(current, missingRateThreshold: 0.2).Drifted.Select(s => s.Slot));
            var ordered = profile.Compare(current, importance: [0.1, 0.9, 0.5]);
            Assert.Equal([1, 2, 0], ordered.Slots.Select(s => s.Slot));
            Assert.Contains("2 of 3 slots drifted", ordered.ToString());
            string csv = Path.ChangeExtension(path, ".csv");
            ordered.WriteCsv(csv);
            var lines = File.ReadAllLines(csv);
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("slot,name,psi,ks", lines[0]);
            File.Delete(csv);
            string png = Path.ChangeExtension(path, ".png");
            ordered.SavePlot(png, 800, 600);
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16))); // IHDR width
            Assert.Equal(600, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))); // IHDR height
            File.Delete(png);
            File.WriteAllText(path, "{\"Slots\": []}");
            Assert.Throws<InvalidDataException>(() => FeatureProfile.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_psi_p_value_is_the_chi_square_tail_in_closed_form()
    {
        // Two degrees of freedom (three bins): P(χ²₂ > x) = exp(−x/2), with x = PSI · n·m/(n + m).
        double x = 0.25 * (1000.0 * 50 / 1050);
        Assert.Equal(Math.Exp(-x / 2), DriftStatistics.PopulationStabilityPValue(0.25, 3, 1000, 50), 12);
        Assert.True(double.IsNaN(DriftStatistics.PopulationStabilityPValue(0.25, 3, 0, 50)));
    }

    [Fact]
    public void A_psi_over_the_threshold_on_a_few_rows_is_noise_until_enough_rows_confirm_it()
    {
        var ml = new MLContext(seed: 1);
        // Reference: 10,000 values spread evenly over [0, 1): ten bins of 10 % each.
        var reference = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10_000).Select(i => new Row { Features = [(i + 0.5f) / 10_000, 0, 0] }).ToArray());
        var profile = FeatureProfile.Create(reference);
        // New rows with 25 % in the first bin and 3 % in the second and last: PSI ≈ 0.29, over 0.2.
        int[] counts = [15, 2, 6, 6, 6, 6, 6, 6, 5, 2];
        IDataView Current(int times) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, times).SelectMany(_ =>
            counts.SelectMany((c, bin) => Enumerable.Range(0, c).Select(j => new Row { Features = [(bin + (j + 0.5f) / c) / 10, 0, 0] }))).ToArray());
        var few = profile.Compare(Current(1)).Slots.Single(s => s.Slot == 0);
        Assert.True(few.PopulationStabilityIndex >= 0.2, $"PSI {few.PopulationStabilityIndex}");
        // 60 rows: χ² = PSI · 59.6 ≈ 17 on 9 degrees of freedom, p ≈ 0.05, and KS agrees: not drift.
        Assert.True(few.PValue > 0.01, $"KS p {few.PValue}");
        Assert.False(few.Drifted);
        // The same shares on 6,000 rows are far beyond noise.
        Assert.True(profile.Compare(Current(100)).Slots.Single(s => s.Slot == 0).Drifted);
        // No rows: an error, not every slot flagged.
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<Row>());
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => profile.Compare(empty)).Message);
    }

    [Fact]
    public void A_profile_with_reversed_edges_or_negative_shares_does_not_load()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlx-profile-{Guid.NewGuid():N}.json");
        try
        {
            SlotProfile Slot(double[] edges, double[] shares) => new() { Name = "x", Edges = edges, Shares = shares, Sample = [1, 2, 3] };
            new FeatureProfile { FeatureColumnName = "Features", Rows = 3, Slots = [Slot([2, 1], [0.3, 0.3, 0.4])] }.Save(path);
            Assert.Contains("out of order", Assert.Throws<InvalidDataException>(() => FeatureProfile.Load(path)).Message);
            new FeatureProfile { FeatureColumnName = "Features", Rows = 3, Slots = [Slot([1, 2], [-0.2, 0.8, 0.4])] }.Save(path);
            Assert.Contains("not a distribution", Assert.Throws<InvalidDataException>(() => FeatureProfile.Load(path)).Message);
            new FeatureProfile { FeatureColumnName = "Features", Rows = 3, Slots = [Slot([1, 2], [0.2, 0.4, 0.4])] }.Save(path);
            Assert.Equal(3, FeatureProfile.Load(path).Rows);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
