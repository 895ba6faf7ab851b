using Microsoft.ML;
using Xunit;

namespace Mlx.Workflow.Tests.Problem;

/// <summary>
/// Leakage in the direction LabelCopyCheck does not see: a column that predicts the label on its own (a folder name per
/// class, a field that names the class, a number that separates the classes) is left out; real features are not.
/// </summary>
public sealed class LabelPredictorCheckTests
{
    private sealed class Row
    {
        public string Subset { get; set; } = "";
        public string Topics { get; set; } = "";
        public float Separating { get; set; }
        public float Noisy { get; set; }
        public string Colour { get; set; } = "";
        public float Counter { get; set; }
        public float Reading { get; set; }
        public float Shuffled { get; set; }
        public float Count { get; set; }
        public string Label { get; set; } = "";
    }

    private static List<Row> Rows(int n)
    {
        var random = new Random(7);
        var shuffled = Enumerable.Range(1000, n).OrderBy(_ => random.Next()).ToArray();
        return Enumerable.Range(0, n).Select(i =>
        {
            bool spam = random.NextDouble() < 0.4;
            return new Row
            {
                // Five folders, each holding one class (as a mail corpus's "subset" column).
                Subset = spam ? $"spam{i % 2}" : $"ham{i % 3}",
                Topics = (spam ? "spam" : "ham") + (i % 5 == 0 ? ";misc" : ""),
                Separating = (spam ? 10 : 0) + (float)random.NextDouble(),
                // A real feature: shifted by the class, overlapping (AUC about 0.76).
                Noisy = (spam ? 1 : 0) + (float)(random.NextDouble() * 2),
                Colour = (spam ? random.NextDouble() < 0.7 : random.NextDouble() < 0.3) ? "red" : "blue",
                Counter = i,
                Reading = 500 + i / 2,
                Shuffled = shuffled[i],
                Count = random.Next(0, 30),
                Label = spam ? "spam" : "ham",
            };
        }).ToList();
    }

    [Fact]
    public void Columns_that_predict_the_label_alone_are_left_out_and_real_features_kept()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(600));
        var rows = Enumerable.Range(0, 600).ToArray();
        var inspected = DataInspection.Inspect(data, new HashSet<string> { "Label" }, Enumerable.Repeat(true, 600).ToArray());
        var labels = LabelValues.Read(data, "Label");
        var columns = LabelPredictorCheck.Apply(inspected, data, labels, rows).ToDictionary(c => c.Name);

        Assert.Equal(ColumnKind.LabelPredictor, columns["Subset"].Kind);
        Assert.Contains("each of its 5 values stands for one class", columns["Subset"].Reason);
        Assert.Equal(ColumnKind.LabelPredictor, columns["Topics"].Kind);
        Assert.Equal(ColumnKind.LabelPredictor, columns["Separating"].Kind);
        Assert.Contains("ROC AUC 1", columns["Separating"].Reason);
        Assert.Equal(ColumnKind.Numeric, columns["Noisy"].Kind);
        Assert.Equal(ColumnKind.Categorical, columns["Colour"].Kind);
        Assert.Equal(ColumnKind.Numeric, columns["Count"].Kind);
    }

    [Fact]
    public void Counters_and_row_ids_are_identifiers_and_counts_are_numbers()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(600));
        var columns = DataInspection.Inspect(data, new HashSet<string> { "Label" }, null).ToDictionary(c => c.Name);
        Assert.Equal(ColumnKind.Identifier, columns["Counter"].Kind);
        // A reading number that repeats (two rows per reading) and grows with the file: a counter.
        Assert.Equal(ColumnKind.Identifier, columns["Reading"].Kind);
        Assert.Contains("grow with the row order", columns["Reading"].Reason);
        // Distinct integers filling their range in shuffled order: a row id.
        Assert.Equal(ColumnKind.Identifier, columns["Shuffled"].Kind);
        Assert.Equal(ColumnKind.Numeric, columns["Count"].Kind);
        Assert.Equal(ColumnKind.Numeric, columns["Noisy"].Kind);
    }
    private sealed class House
    {
        public float Corrected { get; set; }
        public float Uncorrected { get; set; }
        public float LogPrice { get; set; }
        public float Rooms { get; set; }
        public float Area { get; set; }
    }

    [Fact]
    public void A_number_that_is_nearly_a_numeric_label_is_left_out_and_a_strong_feature_kept()
    {
        var random = new Random(3);
        var houses = Enumerable.Range(0, 400).Select(i =>
        {
            float rooms = random.Next(2, 9), area = 30 * rooms + (float)(random.NextDouble() * 60);
            float price = 20_000 * rooms + 900 * area + (float)(random.NextDouble() * 40_000);
            // The label is the corrected price; the uncorrected one differs in 3 % of the rows (as Boston's medv/cmedv).
            return new House { Corrected = price, Uncorrected = i % 33 == 0 ? price * 1.1f : price, LogPrice = MathF.Log(price), Rooms = rooms, Area = area };
        }).ToList();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(houses);
        var inspected = DataInspection.Inspect(data, new HashSet<string> { "Corrected" }, Enumerable.Repeat(true, 400).ToArray());
        var labels = LabelValues.Read(data, "Corrected");
        var columns = LabelPredictorCheck.ApplyRegression(inspected, data, labels, Enumerable.Range(0, 400).ToArray()).ToDictionary(c => c.Name);
        Assert.Equal(ColumnKind.LabelPredictor, columns["Uncorrected"].Kind);
        Assert.Contains("nearly the label itself", columns["Uncorrected"].Reason);
        // A monotone transform of the label: Spearman's rho is 1.
        Assert.Equal(ColumnKind.LabelPredictor, columns["LogPrice"].Kind);
        // Area explains most of the price (r about 0.95) and stays a feature.
        Assert.Equal(ColumnKind.Numeric, columns["Area"].Kind);
        Assert.Equal(ColumnKind.Numeric, columns["Rooms"].Kind);
    }
}
