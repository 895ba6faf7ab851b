using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Calendar;

/// <summary>
/// DateParts against dates worked out by hand (pandas' dt accessors give the same: dt.dayofweek 0 = Monday,
/// dt.dayofyear), missing and unparsable text as NaN, the schema it promises, and a save and load in a new process.
/// </summary>
public class DatePartsTests
{
    private sealed class Row
    {
        public string When { get; set; } = "";
    }

    [Fact]
    public void Parts_of_dates_by_hand_NaN_for_what_is_not_a_date_and_the_same_after_a_reload()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { "2024-02-29T13:30:00", "2023-12-31", " 2001-01-22 ", "", "soon" }.Select(w => new Row { When = w }).ToList());
        var estimator = ml.Transforms.DateParts("Parts", "When");
        var model = estimator.Fit(data);
        var transformed = model.Transform(data);
        Assert.Equal(["When.year", "When.month", "When.day", "When.weekday", "When.yearday", "When.hour", "When.weekend"], DataViews.SlotNames(transformed.Schema["Parts"])!);
        var shape = estimator.GetOutputSchema(SchemaShape.Create(data.Schema)).First(c => c.Name == "Parts");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, shape.Kind);
        Assert.Equal(NumberDataViewType.Single, shape.ItemType);
        var rows = DataViews.ReadVectors(transformed, "Parts");
        // Thursday 29 February 2024 (leap year: day 60), 13:30.
        Assert.Equal([2024f, 2, 29, 3, 60, 13.5f, 0], rows[0]);
        // Sunday 31 December 2023: day 365, a weekend.
        Assert.Equal([2023f, 12, 31, 6, 365, 0, 1], rows[1]);
        // Monday 22 January 2001, padded.
        Assert.Equal([2001f, 1, 22, 0, 22, 0, 0], rows[2]);
        Assert.All(rows[3].Concat(rows[4]), v => Assert.True(float.IsNaN(v)));

        var again = DataViews.ReadVectors(ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), $"mlx-dateparts-{Guid.NewGuid():N}")), "Parts");
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(rows[i], again[i]);
    }

    [Fact]
    public void A_numeric_column_is_refused_with_the_column_named()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new { Number = 1f } });
        var error = Assert.ThrowsAny<Exception>(() => ml.Transforms.DateParts("Parts", "Number").Fit(data));
        Assert.Contains("Number", error.Message);
        Assert.Contains("text, DateTime or DateTimeOffset", error.Message);
    }
}
