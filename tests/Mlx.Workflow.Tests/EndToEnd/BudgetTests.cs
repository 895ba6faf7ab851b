using Microsoft.ML;
using Mlx.Shared;
using Xunit;

namespace Mlx.Workflow.Tests.EndToEnd;

/// <summary>
/// The time budget is a budget: the whole run ends within it + 10 %, and it only stops the candidate schedule, which
/// is the same for a seed whatever the budget (a short run evaluates a prefix of a long run's candidates, with the same
/// validation values), and the report says where it stopped.
/// </summary>
[Collection(WorkflowRuns.Name)]
public sealed class BudgetTests
{
    private static WorkflowReport Run(TimeSpan budget)
    {
        var ml = new MLContext(1);
        var dataset = WorkflowDatasets.Load(ml, "german_credit");
        return new WorkflowRunner(ml).Run(dataset.Data, dataset.Label, new WorkflowOptions { TimeBudget = budget, Seed = 3 }).Report;
    }

    [Fact]
    public void A_short_budget_stops_the_same_schedule_early_and_the_run_ends_within_it()
    {
        var budget = TimeSpan.FromSeconds(8);
        var full = Run(TimeSpan.FromMinutes(10));
        var cut = Run(budget);

        Assert.Null(full.BudgetStop);
        Assert.True(cut.Seconds <= budget.TotalSeconds * 1.1, $"{cut.Seconds:0.0} s for a {budget.TotalSeconds} s budget");
        // The full schedule takes longer than the short budget allows (else this test tests nothing).
        Assert.True(full.Candidates.Sum(c => c.Seconds) > budget.TotalSeconds * 0.5, $"the full schedule's fits took {full.Candidates.Sum(c => c.Seconds):0.0} s");
        Assert.NotNull(cut.BudgetStop);
        Assert.StartsWith("at ", cut.BudgetStop);
        Assert.True(cut.Candidates.Count < full.Candidates.Count, $"{cut.Candidates.Count} of {full.Candidates.Count} candidates");
        Assert.Equal(full.Candidates.Take(cut.Candidates.Count).Select(c => (c.Spec.Name, c.Spec.Describe(), c.Mean, c.BestEpoch, c.BestRounds)),
            cut.Candidates.Select(c => (c.Spec.Name, c.Spec.Describe(), c.Mean, c.BestEpoch, c.BestRounds)));
        // Every candidate of the full run not evaluated in the short one is reported as left out by the budget.
        var stopped = cut.Skipped.Where(s => s.Reason.Contains("budget")).Select(s => s.Name).ToArray();
        Assert.Equal(full.Candidates.Skip(cut.Candidates.Count).First().Spec.Name, stopped.First());
    }
}
