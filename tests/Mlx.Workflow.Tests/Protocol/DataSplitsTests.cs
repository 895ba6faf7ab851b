using Xunit;

namespace Mlx.Workflow.Tests.Protocol;

public sealed class DataSplitsTests
{
    private static readonly WorkflowOptions Options = new();

    [Theory]
    [InlineData(400, ProtocolKind.IteratedKFold, 10)]
    [InlineData(800, ProtocolKind.KFold, 5)]
    [InlineData(6000, ProtocolKind.HoldOut, 1)]
    public void The_protocol_follows_the_number_of_training_rows(int rows, ProtocolKind kind, int fits)
    {
        var protocol = EvaluationProtocol.Choose(rows, false, Options);
        Assert.Equal(kind, protocol.Kind);
        Assert.Equal(fits, protocol.Fits);
        Assert.Equal(ProtocolKind.TimeOrderedHoldOut, EvaluationProtocol.Choose(rows, true, Options).Kind);
    }

    [Fact]
    public void The_test_split_is_stratified_and_the_folds_partition_the_development_rows()
    {
        // 1,000 labelled rows of 3 classes (600/300/100) among 1,010 (every 101st unlabelled).
        var labelled = Enumerable.Range(0, 1010).Where(r => r % 101 != 100).ToArray();
        var strata = new int[1010];
        for (int i = 0; i < labelled.Length; i++)
            strata[labelled[i]] = i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2;
        var (splits, protocol) = DataSplits.Create(labelled, strata, null, 0.2, n => EvaluationProtocol.Choose(n, false, Options), seed: 7);
        Assert.Equal(ProtocolKind.KFold, protocol.Kind);
        Assert.Equal(200, splits.Test.Length);
        Assert.Equal(800, splits.Development.Length);
        Assert.Empty(splits.Test.Intersect(splits.Development));
        Assert.Equal(labelled, splits.Test.Concat(splits.Development).Order());
        // Each class's share of the test split is its share of the data (±1 row).
        foreach (var (c, count) in new[] { (0, 600), (1, 300), (2, 100) })
            Assert.InRange(splits.Test.Count(r => strata[r] == c), count / 5 - 1, count / 5 + 1);
        Assert.Equal(5, splits.Folds.Count);
        Assert.Equal(splits.Development, splits.Folds.SelectMany(f => f.Validation).Order());
        foreach (var (train, validation) in splits.Folds)
        {
            Assert.Empty(train.Intersect(validation));
            Assert.Equal(splits.Development, train.Concat(validation).Order());
        }
    }

    [Fact]
    public void Time_ordered_rows_test_and_validate_on_the_latest()
    {
        // Row r happens at time order[r]: the reverse of the row order.
        var labelled = Enumerable.Range(0, 100).ToArray();
        var timeOrder = labelled.Reverse().ToArray();
        var (splits, protocol) = DataSplits.Create(labelled, null, timeOrder, 0.2, n => EvaluationProtocol.Choose(n, true, Options), seed: 1);
        Assert.Equal(ProtocolKind.TimeOrderedHoldOut, protocol.Kind);
        Assert.Equal(Enumerable.Range(0, 20), splits.Test);
        var (train, validation) = Assert.Single(splits.Folds);
        Assert.Equal(Enumerable.Range(20, 16), validation);
        Assert.Equal(Enumerable.Range(36, 64), train);
    }

    [Fact]
    public void Splits_are_deterministic_with_the_seed()
    {
        var labelled = Enumerable.Range(0, 300).ToArray();
        var a = DataSplits.Create(labelled, null, null, 0.2, n => EvaluationProtocol.Choose(n, false, Options), 3).Splits;
        var b = DataSplits.Create(labelled, null, null, 0.2, n => EvaluationProtocol.Choose(n, false, Options), 3).Splits;
        var c = DataSplits.Create(labelled, null, null, 0.2, n => EvaluationProtocol.Choose(n, false, Options), 4).Splits;
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Folds.Select(f => f.Validation), b.Folds.Select(f => f.Validation));
        Assert.NotEqual(a.Test, c.Test);
    }

    [Fact]
    public void Too_few_labelled_rows_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DataSplits.Create(Enumerable.Range(0, 10).ToArray(), null, null, 0.2, n => EvaluationProtocol.Choose(n, false, Options), 1));
        Assert.Contains("10 labelled rows", e.Message);
    }

    [Fact]
    public void A_time_ordered_split_whose_latest_rows_hold_one_class_is_found()
    {
        // 200 rows in time order; the class-1 rows are all early (a topic of one season): the latest 20 % hold class 0 only.
        var labelled = Enumerable.Range(0, 200).ToArray();
        var strata = labelled.Select(r => r < 60 && r % 2 == 0 ? 1 : 0).ToArray();
        var (timed, _) = DataSplits.Create(labelled, strata, labelled, 0.2, n => EvaluationProtocol.Choose(n, true, Options), seed: 1);
        var why = timed.MissingClass(strata, binary: true);
        Assert.NotNull(why);
        Assert.Contains("test rows (40 rows) hold 1 class", why);
        // Shuffled and stratified, every part holds both classes.
        var (shuffled, _) = DataSplits.Create(labelled, strata, null, 0.2, n => EvaluationProtocol.Choose(n, false, Options), seed: 1);
        Assert.Null(shuffled.MissingClass(strata, binary: true));
        Assert.Null(timed.MissingClass(null, binary: true));
    }
}
