using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Workflow.Tests.EndToEnd;

/// <summary>
/// The front door on public data from the corpus (tests/corpus), as `mlx train` reads it (separator sniffed): what the
/// workflow must find in them by itself, within its budget. The full comparison with scikit-learn is the
/// `workflow-corpus` benchmark; these are its checks that fit in CI.
/// </summary>
[Collection(WorkflowRuns.Name)]
public sealed class CorpusTests
{
    private static (WorkflowReport Report, CsvDataset Csv) Run(string file, string label, int seconds)
    {
        var ml = new MLContext(1);
        var csv = CsvDataset.Load(ml, RepoPaths.Combine("tests", "corpus", "data", file));
        var budget = TimeSpan.FromSeconds(seconds);
        var report = new WorkflowRunner(ml).Run(csv.Data, label, new WorkflowOptions { TimeBudget = budget, Seed = 1 }).Report;
        Assert.True(report.Seconds <= budget.TotalSeconds * 1.1, $"{file}: {report.Seconds:0.0} s for a {seconds} s budget");
        Assert.True(report.BeatsBaseline, $"{file}: test {report.Metric} {report.Test} vs baseline {report.Baseline}");
        return (report, csv);
    }

    [Fact]
    public void Boston_housing_leaves_out_the_uncorrected_copy_of_the_label_and_the_tract_counter()
    {
        var (report, _) = Run("boston_housing_corrected.csv", "cmedv", 20);
        var kinds = report.Columns.ToDictionary(c => c.Name, c => c.Kind);
        Assert.Equal(ColumnKind.LabelPredictor, kinds["medv"]);
        Assert.Equal(ColumnKind.Identifier, kinds["tract"]);
        Assert.Equal(ColumnKind.Categorical, kinds["town"]);
        // Without the leak the test MAE is that of a real model (about 2-3 thousand dollars), not 0.3.
        Assert.InRange(report.Test, 1.5, 4);
        Assert.NotEmpty(report.Diagnostics.Importance);
        Assert.Equal(report.TestRows, report.Diagnostics.Actual!.Count);
    }

    [Fact]
    public void Semicolon_separated_ozone_with_missing_values_and_zoo_with_its_animal_names()
    {
        var (ozone, csv) = Run("ozone.csv", "daily_max_ozone", 15);
        Assert.Equal(';', csv.Separator);
        Assert.Contains(ozone.Columns, c => c.MissingRate > 0.1 && c.Kind == ColumnKind.Numeric);
        var (zoo, _) = Run("zoo.csv", "type", 15);
        Assert.Equal(ColumnKind.Identifier, zoo.Columns.Single(c => c.Name == "animal").Kind);
        Assert.Equal(zoo.Classes!.Count, zoo.Diagnostics.ConfusionMatrix!.Count);
        Assert.Equal(zoo.TestRows, zoo.Diagnostics.ConfusionMatrix!.Sum(row => row.Sum()));
    }
}
