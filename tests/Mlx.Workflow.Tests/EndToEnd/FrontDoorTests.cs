using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;
using Xunit;

namespace Mlx.Workflow.Tests.EndToEnd;

/// <summary>
/// Issue 23's front-door bugs, each on the data shape that showed it: the saved model is the pipeline that was
/// validated (wide text), a rare category absent from a fold, leaky and identifier columns, a time-ordered split whose
/// latest rows hold one class.
/// </summary>
[Collection(WorkflowRuns.Name)]
public sealed class FrontDoorTests
{
    private sealed class Spectrum
    {
        [VectorType(600)]
        public float[] Intensities { get; set; } = [];

        public string Grade { get; set; } = "";
    }

    [Fact]
    public void The_saved_model_is_the_validated_pipeline_with_its_feature_selection()
    {
        var ml = new MLContext(1);
        var random = new Random(11);
        // 300 spectra of 600 intensities, the grade read from the first five: wider than 240 training rows support.
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 300).Select(_ =>
        {
            var x = Enumerable.Range(0, 600).Select(_ => (float)random.NextDouble()).ToArray();
            return new Spectrum { Intensities = x, Grade = x.Take(5).Sum() + random.NextDouble() * 0.5 > 2.75 ? "high" : "low" };
        }).ToList());
        var result = new WorkflowRunner(ml).Run(data, "Grade", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(15), Seed = 1 });
        var report = result.Report;
        // Selection keeps fewer slots in every fold…
        Assert.Equal(600, report.FeatureSlots);
        Assert.Equal(500, report.KeptSlots);
        // …and the saved chain has it too: the predictor reads the kept slots, as in validation (it read every slot before).
        var steps = Flatten(result.Model.Model).ToArray();
        Assert.Contains(steps, t => t is FeatureSelectionTransformer);
        var scored = result.Model.Model.Transform(data);
        Assert.Equal(report.KeptSlots, ((VectorDataViewType)scored.Schema["Features"].Type).Size);
    }

    private sealed class Applicant
    {
        public float Income { get; set; }
        public float Debt { get; set; }
        public string Utilities { get; set; } = "";
        public string Subset { get; set; } = "";
        public float ApplicationNumber { get; set; }
        public string Outcome { get; set; } = "";
    }

    private static IDataView Applicants(MLContext ml, int n)
    {
        var random = new Random(3);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(i =>
        {
            float income = (float)(random.NextDouble() * 4), debt = (float)(random.NextDouble() * 4);
            bool good = income - debt + random.NextDouble() * 2 - 1 > 0;
            return new Applicant
            {
                Income = income,
                Debt = debt,
                // One rare level in 2 of 300 rows: most training folds never see it (Ames housing's "NoSeWa").
                Utilities = i is 17 or 211 ? "NoSeWa" : "AllPub",
                // The folder each application was filed in after the decision: stands for the outcome.
                Subset = good ? (i % 2 == 0 ? "approved-a" : "approved-b") : "declined",
                ApplicationNumber = 10_000 + i,
                Outcome = good ? "good" : "bad",
            };
        }).ToList());
    }

    [Fact]
    public void Rare_levels_leaky_columns_and_counters_are_handled_and_reported()
    {
        var ml = new MLContext(1);
        var result = new WorkflowRunner(ml).Run(Applicants(ml, 300), "Outcome", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(15), Seed = 1 });
        var columns = result.Report.Columns.ToDictionary(c => c.Name);
        Assert.Equal(ColumnKind.Categorical, columns["Utilities"].Kind);
        Assert.Equal(ColumnKind.LabelPredictor, columns["Subset"].Kind);
        Assert.Equal(ColumnKind.Identifier, columns["ApplicationNumber"].Kind);
        Assert.DoesNotContain("Subset", result.Model.Info.FeatureColumns);
        Assert.Contains(result.Report.Steps.Single(s => s.Number == 1).Lines, l => l.StartsWith("left out 'Subset' (LabelPredictor)", StringComparison.Ordinal));
        // Without the leak the features are two noisy numbers: a test AUC well below 1 (with it, 1).
        Assert.InRange(result.Report.Test, 0.75, 0.99);

        var kept = new WorkflowRunner(ml).Run(Applicants(ml, 300), "Outcome", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(15), Seed = 1, KeepColumns = ["Subset"] });
        Assert.Contains("Subset", kept.Model.Info.FeatureColumns);
        Assert.Contains(kept.Report.Steps.Single(s => s.Number == 1).Lines, l => l.StartsWith("warning: 'Subset' is kept as a feature", StringComparison.Ordinal));
        Assert.True(kept.Report.Test > 0.999, $"with the leak kept the test AUC is {kept.Report.Test}");
    }

    private sealed class Story
    {
        public string Published { get; set; } = "";
        public float Length { get; set; }
        public float Quotes { get; set; }
        public string Topic { get; set; } = "";
    }

    [Fact]
    public void A_time_order_whose_latest_rows_hold_one_class_falls_back_to_a_stratified_split_and_says_why()
    {
        var ml = new MLContext(1);
        var random = new Random(5);
        // 300 stories in date order; "election" stories only in the first 40 % of the year.
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 300).Select(i =>
        {
            bool election = i < 120 && random.NextDouble() < 0.5;
            return new Story
            {
                Published = new DateTime(2024, 1, 1).AddDays(i).ToString("yyyy-MM-dd"),
                Length = (float)(random.NextDouble() * 2 + (election ? 1 : 0)),
                Quotes = (float)random.NextDouble(),
                Topic = election ? "election" : "other",
            };
        }).ToList());
        var result = new WorkflowRunner(ml).Run(data, "Topic", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(15), Seed = 1 });
        Assert.NotEqual(ProtocolKind.TimeOrderedHoldOut, result.Report.Protocol.Kind);
        Assert.Contains(result.Report.Steps.Single(s => s.Number == 1).Lines,
            l => l.StartsWith("warning: the time-ordered split by 'Published' cannot be scored (its test rows", StringComparison.Ordinal));
        Assert.True(double.IsFinite(result.Report.Test));

        // Asked not to use time order, the rows are shuffled from the start.
        var shuffled = new WorkflowRunner(ml).Run(data, "Topic", new WorkflowOptions { TimeBudget = TimeSpan.FromSeconds(15), Seed = 1, UseTimeOrder = false });
        Assert.DoesNotContain(shuffled.Report.Steps.Single(s => s.Number == 1).Lines, l => l.StartsWith("warning: the time-ordered", StringComparison.Ordinal));
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) => transformer is IEnumerable<ITransformer> chain
        ? chain.SelectMany(Flatten)
        : [transformer];
}
