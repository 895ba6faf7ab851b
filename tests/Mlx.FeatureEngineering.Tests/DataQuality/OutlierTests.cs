using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.DataQuality;

/// <summary>
/// FilterOutliers against tests/golden/outliers/outliers.json (make_outlier_golden.py: numpy percentiles, scipy's zscore,
/// the modified z-score, on breast cancer's 569 × 30): every slot's interval to 1e-9 relative, the removed rows exactly,
/// other columns passed through, the report's counts.
/// </summary>
public class OutlierTests
{
    private sealed class Row
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];
        public int Id { get; set; }
    }

    public static TheoryData<string> Rules() => ["iqr", "zscore", "mad"];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Intervals_and_removed_rows_equal_the_reference(string name)
    {
        var table = CsvTable.Load(RepoPaths.Combine("tests", "golden", "sklearn", "breast_cancer.csv"));
        var x = table.Numeric(table.Header[..30]);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(x.Select((r, i) => new Row { Features = r.Select(v => (float)v).ToArray(), Id = i }).ToArray());
        var rule = name switch { "iqr" => OutlierRule.InterquartileRange(), "zscore" => OutlierRule.ZScore(), _ => OutlierRule.MedianAbsoluteDeviation() };
        var kept = ml.Data.FilterOutliers(data, "Features", rule, out var report);

        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "outliers", "outliers.json"))).RootElement.GetProperty(name);
        var lower = golden.GetProperty("lower").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var upper = golden.GetProperty("upper").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var removed = golden.GetProperty("removed").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        for (int j = 0; j < 30; j++)
        {
            Assert.Equal(lower[j], report.Slots[j].Lower!.Value, 1e-9 * Math.Max(1, Math.Abs(lower[j])));
            Assert.Equal(upper[j], report.Slots[j].Upper!.Value, 1e-9 * Math.Max(1, Math.Abs(upper[j])));
        }
        Assert.Equal(removed, report.Removed.Select(r => r.Row));
        Assert.Equal(569, report.Rows);
        var ids = kept.GetColumn<int>("Id").ToArray(); // the other column passes through, rows in order
        Assert.Equal(Enumerable.Range(0, 569).Where(i => !removed.Contains(i)), ids);
        Assert.DoesNotContain("__MlxOutlier", kept.Schema.Select(c => c.Name));
        foreach (var r in report.Removed)
            Assert.True(r.Value < report.Slots[r.Slot].Lower || r.Value > report.Slots[r.Slot].Upper); // the reason given holds
        Assert.Contains($"removed {removed.Length:N0} of 569 rows", report.ToString());
    }

    [Fact]
    public void A_slot_without_spread_is_not_judged_and_says_so()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 50).Select(i => new Row { Features = Enumerable.Range(0, 30).Select(j => j == 0 ? 7f : i == 10 && j == 1 ? 1000f : i).ToArray(), Id = i }).ToArray());
        var kept = ml.Data.FilterOutliers(data, "Features", OutlierRule.ZScore(), out var report);
        Assert.Null(report.Slots[0].Lower); // constant slot: no interval
        Assert.Contains("(spread 0)", report.ToString());
        Assert.Equal([10L], report.Removed.Select(r => r.Row));
        Assert.Equal(49, kept.GetColumn<int>("Id").Count());
    }
}
