using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Encoding;

/// <summary>Dummy coding of a one-level column with a dropped reference level: a clear error at Fit, not an empty vector.</summary>
public class DegenerateEncodingTests
{
    private sealed class Row
    {
        public string Country { get; set; } = "";
        public string[] Tags { get; set; } = [];
    }

    [Fact]
    public void A_single_level_column_with_drop_first_fails_at_fit()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(_ => new Row { Country = "NL", Tags = ["a", "b"] }).ToList());
        var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Categorical.DummyEncoding("C", "Country").Fit(data));
        Assert.Contains("Column 'Country'", e.Message);
        Assert.Contains("single category ('NL')", e.Message);
        Assert.Contains("DummyDrop.None", e.Message);
        // Without dropping, one indicator that is always 1.
        var kept = ml.Transforms.Categorical.DummyEncoding("C", "Country", DummyDrop.None).Fit(data);
        Assert.Equal(new[] { 1f }, DataViews.ReadVectors(kept.Transform(data), "C")[0]);
    }

    [Fact]
    public void A_single_level_slot_beside_others_warns_and_contributes_nothing()
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, m) => { if (m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(m.Message); };
        var rows = Enumerable.Range(0, 6).Select(i => new Row { Tags = ["same", i % 2 == 0 ? "x" : "y"] }).ToList();
        var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(Row));
        definition["Tags"].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.TextDataViewType.Instance, 2);
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var model = ml.Transforms.Categorical.DummyEncoding("T", "Tags").Fit(data);
        Assert.Equal(1, model.OutputSize);
        Assert.Contains(warnings, w => w.Contains("column 'Tags' slot 0") && w.Contains("single category ('same')"));
    }
}
