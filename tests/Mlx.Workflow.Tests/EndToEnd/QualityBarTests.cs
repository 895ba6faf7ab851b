using System.Text.Json;
using Microsoft.ML;
using Mlx.Shared;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Workflow.Tests.EndToEnd;

/// <summary>
/// Issue 16's quality bar on the bundled data sets: the workflow beats its baseline on the test split, lands within a
/// stated margin of the best model found by hand with the same components (tests/golden/workflow/hand_best.json,
/// written by the benchmark's "workflow" suite: a grid of 38 configurations scored on the same test split — an
/// optimistic bound), stays within its time budget, and its report's test metrics are what the saved model recomputes.
/// </summary>
[Collection(WorkflowRuns.Name)]
public sealed class QualityBarTests
{
    /// <summary>
    /// Margin to the hand-found best: 0.03 of AUC; for accuracy 0.03 or two binomial standard errors of the hand-found
    /// accuracy on the test split, whichever is larger (one row of wine's 36 is 0.028); 15 % of an error (MAE).
    /// </summary>
    private const double ScoreMargin = 0.03, ErrorMargin = 0.15;

    /// <summary>Slack on the time budget: the final retraining is estimated, and other test assemblies may share the cores.</summary>
    private const double BudgetSlack = 1.5;

    /// <summary>The budget: 60 s, 90 s for the widest data (Fashion-MNIST's 784 pixels × 2,000 images).</summary>
    private static TimeSpan Budget(string name) => TimeSpan.FromSeconds(name == "fashion_mnist" ? 90 : 60);

    [Theory]
    [InlineData("boston_housing", TaskKind.Regression, "mae")]
    [InlineData("german_credit", TaskKind.BinaryClassification, "auc")]
    [InlineData("breast_cancer", TaskKind.BinaryClassification, "auc")]
    [InlineData("wine", TaskKind.MulticlassClassification, "accuracy")]
    [InlineData("sentiment_sentences", TaskKind.BinaryClassification, "auc")]
    [InlineData("fashion_mnist", TaskKind.MulticlassClassification, "accuracy")]
    public void Beats_the_baseline_and_lands_near_the_best_found_by_hand_within_the_budget(string name, TaskKind task, string metric)
    {
        var ml = new MLContext(1);
        var dataset = WorkflowDatasets.Load(ml, name);
        var result = new WorkflowRunner(ml).Run(dataset.Data, dataset.Label, new WorkflowOptions { TimeBudget = Budget(name), Seed = 1 });
        var report = result.Report;

        Assert.Equal(task, report.Task);
        Assert.Equal(metric, report.Metric);
        Assert.True(report.BeatsBaseline, $"{name}: test {metric} {report.Test} does not beat the baseline's {report.Baseline}");
        var chosen = report.Candidates.Single(c => c.Spec.Name == report.Chosen);
        Assert.True(chosen.BeatsBaseline, $"{name}: the chosen candidate does not beat the baseline on validation");

        using var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "workflow", "hand_best.json")));
        double hand = golden.RootElement.GetProperty(name).GetProperty("hand").GetDouble();
        double margin = metric.Contains("accuracy", StringComparison.Ordinal)
            ? Math.Max(ScoreMargin, 2 * Math.Sqrt(hand * (1 - hand) / report.TestRows))
            : ScoreMargin;
        if (report.HigherIsBetter)
            Assert.True(report.Test >= hand - margin, $"{name}: test {metric} {report.Test:0.####} is more than {margin:0.###} below the best found by hand ({hand:0.####})");
        else
            Assert.True(report.Test <= hand * (1 + ErrorMargin), $"{name}: test {metric} {report.Test:0.####} is more than {ErrorMargin:P0} above the best found by hand ({hand:0.####})");

        Assert.True(report.Seconds <= Budget(name).TotalSeconds * BudgetSlack, $"{name}: {report.Seconds:0} s for a {Budget(name).TotalSeconds:0} s budget");

        // The report's test metrics are the saved model's, recomputed after a save/load round trip on the test rows.
        var path = Path.Combine(Directory.CreateTempSubdirectory("mlx-quality-").FullName, "model.zip");
        result.Model.Save(ml, path);
        var loaded = WorkflowModel.Load(new MLContext(2), path);
        var recomputed = loaded.Evaluate(ml, Rows.Subset(ml.Data.Cache(dataset.Data), result.TestRows));
        foreach (var (key, value) in report.TestMetrics)
            Assert.Equal(value, recomputed[key], 9);
    }
}
