using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Shared;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Workflow.Tests.EndToEnd;

/// <summary>Determinism, progress, time order, images and the leakage finding, on real data.</summary>
[Collection(WorkflowRuns.Name)]
public sealed class WorkflowBehaviourTests
{
    [Fact]
    public void The_same_seed_gives_the_same_run_and_progress_reports_every_step_in_order()
    {
        var steps = new List<int>();
        WorkflowReport Run(IProgress<WorkflowProgress>? progress)
        {
            var ml = new MLContext(1);
            var dataset = WorkflowDatasets.Load(ml, "wine");
            // A budget no candidate comes near: the schedule runs to its end both times.
            return new WorkflowRunner(ml).Run(dataset.Data, dataset.Label, new WorkflowOptions { TimeBudget = TimeSpan.FromMinutes(10), Seed = 5, Progress = progress }).Report;
        }
        var first = Run(new SynchronousProgress(p => steps.Add(p.Step)));
        var second = Run(null);
        Assert.Empty(first.Skipped);
        Assert.Equal(first.Candidates.Select(c => (c.Spec.Name, c.Mean, c.StandardDeviation, c.BestEpoch)), second.Candidates.Select(c => (c.Spec.Name, c.Mean, c.StandardDeviation, c.BestEpoch)));
        Assert.Equal(first.TestMetrics, second.TestMetrics);
        Assert.Equal(first.Chosen, second.Chosen);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], steps.Distinct());
        Assert.Equal(steps.Order(), steps);
        // wine's target_name is the label under another name: found and left out.
        Assert.Equal(ColumnKind.LabelCopy, first.Columns.Single(c => c.Name == "target_name").Kind);
        Assert.Equal(13, first.FeatureSlots);
    }

    [Fact]
    public void Rows_with_timestamps_are_split_by_time_and_the_last_value_is_a_baseline()
    {
        var ml = new MLContext(1);
        var csv = CsvDataset.Load(ml, RepoPaths.Combine("examples", "data", "chicago_ridership", "chicago.csv"));
        var result = new WorkflowRunner(ml).Run(csv.Data, "ridership", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(30), Seed = 1 });
        var report = result.Report;
        Assert.Equal(ProtocolKind.TimeOrderedHoldOut, report.Protocol.Kind);
        Assert.Equal(ColumnKind.Timestamp, report.Columns.Single(c => c.Name == "date").Kind);
        // The test split is the latest 20 % of the days: the file is in date order, so its last rows.
        int n = csv.Rows, test = (int)Math.Round(n * 0.2);
        Assert.Equal(Enumerable.Range(n - test, test), result.TestRows);
        Assert.Contains(report.Steps.Single(s => s.Number == 5).Lines, l => l.StartsWith("last value", StringComparison.Ordinal));
        Assert.True(report.BeatsBaseline);
    }

    [Fact]
    public void Image_paths_are_featurized_by_the_bundled_ResNet18_and_the_model_scores_new_rows()
    {
        var ml = new MLContext(1);
        var folder = RepoPaths.Combine("examples", "data", "tuxpaint_photos");
        var csv = CsvDataset.Load(ml, Path.Combine(folder, "labels.csv"));
        var result = new WorkflowRunner(ml).Run(csv.Data, "class", new WorkflowOptions
        {
            TimeBudget = TimeSpan.FromSeconds(60),
            Seed = 1,
            ImageFolder = folder,
            IgnoreColumns = ["source_stamp", "width", "height"],
        });
        var report = result.Report;
        Assert.Equal(ColumnKind.ImagePath, report.Columns.Single(c => c.Name == "file").Kind);
        Assert.Equal(512, report.FeatureSlots);
        // Five classes of 33: the majority baseline is about 0.2; ImageNet features separate them far better.
        Assert.True(report.Test > 0.6, $"test accuracy {report.Test}");
        Assert.True(report.BeatsBaseline);
        var scored = result.Model.Model.Transform(Rows.Subset(csv.Data, result.TestRows));
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(p => p.ToString()).ToArray();
        Assert.Equal(result.TestRows.Count, predicted.Length);
        Assert.All(predicted, p => Assert.Contains(p, report.Classes!));
    }

    [Fact]
    public void Several_yes_no_labels_are_a_multilabel_task_and_a_coarser_copy_of_them_is_left_out()
    {
        var ml = new MLContext(1);
        var csv = CsvDataset.Load(ml, RepoPaths.Combine("examples", "data", "reuters_grain_corn", "train.csv"));
        var result = new WorkflowRunner(ml).Run(csv.Data, ["grain", "corn"], new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(30), Seed = 1 });
        var report = result.Report;
        Assert.Equal(TaskKind.MultilabelClassification, report.Task);
        Assert.Equal("micro-f1", report.Metric);
        // topic is corn / grain / other: the two labels determine it.
        Assert.Equal(ColumnKind.LabelCopy, report.Columns.Single(c => c.Name == "topic").Kind);
        Assert.Contains(report.Skipped, s => s.Name == "trees" && s.Reason.Contains("no boosted-trees trainer"));
        Assert.True(report.BeatsBaseline);
        Assert.InRange(report.Test, 0.5, 1);
        var recomputed = result.Model.Evaluate(ml, Rows.Subset(csv.Data, result.TestRows));
        Assert.Equal(report.Test, recomputed["micro-f1"], 12);
    }

    [Fact]
    public void Several_numeric_labels_are_a_vector_regression()
    {
        var ml = new MLContext(1);
        var csv = CsvDataset.Load(ml, RepoPaths.Combine("examples", "data", "chicago_ridership", "chicago.csv"));
        string[] stations = ["Austin", "Quincy_Wells", "Belmont"];
        var result = new WorkflowRunner(ml).Run(csv.Data, stations, new WorkflowOptions
        {
            TimeBudget = TimeSpan.FromSeconds(30),
            Seed = 1,
            IgnoreColumns = csv.ColumnNames.Where(c => c != "date" && !stations.Contains(c) && char.IsUpper(c[0])).ToArray(),
        });
        var report = result.Report;
        Assert.Equal(TaskKind.VectorRegression, report.Task);
        Assert.Equal(stations, report.Classes);
        Assert.Equal(ProtocolKind.TimeOrderedHoldOut, report.Protocol.Kind);
        Assert.True(report.BeatsBaseline, $"MAE {report.Test} vs the mean's {report.Baseline}");
        var recomputed = result.Model.Evaluate(ml, Rows.Subset(csv.Data, result.TestRows));
        Assert.Equal(report.Test, recomputed["mae"], 9);
    }

    private sealed class SynchronousProgress(Action<WorkflowProgress> report) : IProgress<WorkflowProgress>
    {
        public void Report(WorkflowProgress value) => report(value);
    }
}
