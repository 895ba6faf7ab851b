using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Workflow.Tests.Problem;

public sealed class DataInspectionTests
{
    private static readonly MLContext Ml = new(1);

    private sealed class Row
    {
        public float Id { get; set; }
        public float Skewed { get; set; }
        public float Constant { get; set; }
        public string Colour { get; set; } = "";
        public string Review { get; set; } = "";
        public string Code { get; set; } = "";
        public string Day { get; set; } = "";
        public string Photo { get; set; } = "";
        public bool Flag { get; set; }
        public string Name { get; set; } = "";
        public int Label { get; set; }
    }

    private static readonly string[] Words = ["good", "bad", "fine", "great", "poor", "ok", "nice", "awful"];

    private static List<Row> Rows(int n) => Enumerable.Range(0, n).Select(i => new Row
    {
        Id = i,
        Skewed = i % 7 == 0 ? float.NaN : (float)Math.Exp(i % 40 / 8.0),
        Constant = 3,
        Colour = new[] { "red", "green", "blue", "" }[i % 4],
        Review = $"this was {Words[i % 8]} and {Words[(i / 8) % 8]} overall {i}",
        Code = $"C{i * 7919 % 100_003}",
        Day = new DateTime(2020, 1, 1).AddDays(i).ToString("yyyy-MM-dd"),
        Photo = $"images/{i}.png",
        Flag = i % 3 == 0,
        Name = i % 2 == 0 ? "even" : "odd",
        Label = i % 2,
    }).ToList();

    [Fact]
    public void Every_column_gets_the_kind_its_values_show()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(200));
        var columns = DataInspection.Inspect(data, new HashSet<string> { "Label" }, Enumerable.Repeat(true, 200).ToArray()).ToDictionary(c => c.Name);
        Assert.Equal(ColumnKind.Identifier, columns["Id"].Kind);
        Assert.Equal(ColumnKind.Numeric, columns["Skewed"].Kind);
        Assert.Equal(ColumnKind.Constant, columns["Constant"].Kind);
        Assert.Equal(ColumnKind.Categorical, columns["Colour"].Kind);
        Assert.Equal(ColumnKind.Text, columns["Review"].Kind);
        Assert.Equal(ColumnKind.Identifier, columns["Code"].Kind);
        Assert.Equal(ColumnKind.Timestamp, columns["Day"].Kind);
        Assert.Equal(ColumnKind.ImagePath, columns["Photo"].Kind);
        Assert.Equal(ColumnKind.Categorical, columns["Flag"].Kind);
        Assert.False(columns.ContainsKey("Label"));
        Assert.Equal(3, columns["Colour"].DistinctValues);
        Assert.Equal(0.25, columns["Colour"].MissingRate, 12);
    }

    [Fact]
    public void Missing_rate_and_skewness_are_those_of_the_non_missing_values()
    {
        var rows = Rows(200);
        var data = Ml.Data.LoadFromEnumerable(rows);
        var skewed = DataInspection.Inspect(data, new HashSet<string>(), Enumerable.Repeat(true, 200).ToArray()).Single(c => c.Name == "Skewed");
        var x = rows.Select(r => (double)r.Skewed).Where(v => !double.IsNaN(v)).ToArray();
        // Fisher-Pearson g1 = m3 / m2^1.5 with population moments, written out.
        double mean = x.Average(), m2 = x.Average(v => Math.Pow(v - mean, 2)), m3 = x.Average(v => Math.Pow(v - mean, 3));
        Assert.Equal(29.0 / 200, skewed.MissingRate, 12);
        Assert.Equal(m3 / Math.Pow(m2, 1.5), skewed.Skewness!.Value, 9);
        Assert.True(skewed.IsSkewed);
    }

    [Fact]
    public void Only_the_chosen_rows_are_inspected()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(200));
        var firstTwo = new bool[200];
        firstTwo[0] = firstTwo[1] = true;
        var colour = DataInspection.Inspect(data, new HashSet<string>(), firstTwo).Single(c => c.Name == "Colour");
        Assert.Equal(2, colour.DistinctValues);
    }

    [Fact]
    public void A_column_that_is_the_label_under_another_name_is_left_out_and_others_are_not()
    {
        var rows = Rows(200);
        var data = Ml.Data.LoadFromEnumerable(rows);
        var all = Enumerable.Repeat(true, 200).ToArray();
        var columns = DataInspection.Inspect(data, new HashSet<string> { "Label" }, all);
        var labels = LabelValues.Read(data, "Label");
        var checkedColumns = LabelCopyCheck.Apply(columns, data, labels, all, quantity: false).ToDictionary(c => c.Name);
        Assert.Equal(ColumnKind.LabelCopy, checkedColumns["Name"].Kind);
        Assert.Contains("copy of the label", checkedColumns["Name"].Reason);
        Assert.Equal(ColumnKind.Categorical, checkedColumns["Colour"].Kind);
        Assert.Equal(ColumnKind.Numeric, checkedColumns["Skewed"].Kind);
    }
}
