using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Selection;

/// <summary>
/// Wrapper selection on data whose informative slots are known (0, 3 and 5 of 6: the label is the sign of
/// 1.5·x0 − 1.2·x3 + x5 + noise): sequential forward, backward and floating searches recover them; the genetic and
/// annealing searches reach the exhaustive optimum; budgets, history and refusals.
/// </summary>
public class WrapperSelectionTests
{
    private sealed class Row
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private static IDataView Data(MLContext ml)
    {
        var random = new Random(7);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, 400).Select(_ =>
        {
            var x = Enumerable.Range(0, 6).Select(_ => (float)Normal()).ToArray();
            return new Row { Features = x, Label = 1.5 * x[0] - 1.2 * x[3] + x[5] + 0.5 * Normal() > 0 };
        }).ToArray());
    }

    private static WrapperSelectionEstimator Selector(MLContext ml, WrapperSearch search, int? maxEvaluations = null) =>
        ml.Transforms.FeatureSelection.SelectFeaturesBySearch("Selected", "Features",
            c => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: c), search, folds: 4, seed: 3, maxEvaluations: maxEvaluations);

    [Theory]
    [InlineData("forward")]
    [InlineData("backward")]
    [InlineData("floating")]
    public void Sequential_searches_recover_the_informative_slots(string kind)
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var search = kind switch { "forward" => WrapperSearch.SequentialForward(3), "backward" => WrapperSearch.SequentialBackward(3), _ => WrapperSearch.Floating(3) };
        var selector = Selector(ml, search);
        var model = selector.Fit(data);
        Assert.Equal([0, 3, 5], model.SelectedSlots);
        Assert.Equal(3, ((VectorDataViewType)model.Transform(data).Schema["Selected"].Type).Size);
        // Forward: 6 + 5 + 4 candidates; backward: all, then 6 + 5 + 4 removals.
        if (kind == "forward")
            Assert.Equal(15, selector.History.Count);
        if (kind == "backward")
            Assert.Equal(16, selector.History.Count);
        Assert.All(selector.History, h => Assert.InRange(h.Mean, 0.4, 1));
        Assert.Contains("Wrapper(Sequential, AUC, 4-fold CV", model.Method);
    }

    [Fact]
    public void Genetic_and_annealing_searches_reach_the_exhaustive_optimum()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var exhaustive = Selector(ml, WrapperSearch.Exhaustive());
        var optimum = exhaustive.Fit(data);
        Assert.Equal(63, exhaustive.History.Count);
        double best = exhaustive.History.Max(h => h.Mean);
        Assert.Contains(0, optimum.SelectedSlots);
        foreach (var search in new[] { WrapperSearch.Genetic(population: 12, generations: 8), WrapperSearch.SimulatedAnnealing(iterations: 60) })
        {
            var selector = Selector(ml, search);
            var model = selector.Fit(data);
            Assert.Equal(best, selector.History.Max(h => h.Mean), 12); // same folds, same fits: the same optimum
            Assert.Equal(optimum.SelectedSlots, model.SelectedSlots);
            Assert.True(selector.History.Count < 63, $"{search}: {selector.History.Count} evaluations");
        }
    }

    [Fact]
    public void Budgets_stop_the_search_and_exhaustive_refuses_too_many_subsets()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var limited = Selector(ml, WrapperSearch.Random(30), maxEvaluations: 5);
        limited.Fit(data);
        Assert.Equal(5, limited.History.Count);
        Assert.Equal("evaluation budget", limited.StoppedBy);
        var error = Assert.Throws<ArgumentException>(() => Selector(ml, WrapperSearch.Exhaustive()).Fit(ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new Wide { Label = i % 2 == 0 }).ToArray())));
        Assert.Contains("20 slots make 1.049E+06 non-empty subsets", error.Message);
        Assert.Contains("sequential", error.Message);
    }

    private sealed class Regression
    {
        [VectorType(8)]
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
        public int Fold { get; set; }
    }

    [Theory]
    [InlineData("forward", 2)]
    [InlineData("forward", 3)]
    [InlineData("forward", 4)]
    [InlineData("backward", 3)]
    public void Sequential_searches_select_what_scikit_learns_sequential_feature_selector_selects_on_the_same_folds(string direction, int k)
    {
        // tests/golden/wrapper/make_wrapper_golden.py: SequentialFeatureSelector(LinearRegression, MAE) with the saved folds;
        // here ML.NET's SDCA regression with a small L2 penalty (0.01: SDCA diverges with less; nearly the least-squares fit) on those folds.
        var g = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Mlx.TestSupport.RepoPaths.Combine("tests", "golden", "wrapper", "wrapper.json"))).RootElement;
        var x = g.GetProperty("features").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var y = g.GetProperty("label").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var folds = g.GetProperty("folds").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(x.Select((f, i) => new Regression { Features = f, Label = y[i], Fold = folds[i] }).ToArray());
        var search = direction == "forward" ? WrapperSearch.SequentialForward(k) : WrapperSearch.SequentialBackward(k);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesBySearch("Selected", "Features",
            c => ml.Regression.Trainers.Sdca(featureColumnName: c, l2Regularization: 0.01f, l1Regularization: 0, maximumNumberOfIterations: 200),
            search, foldColumnName: "Fold").Fit(data);
        var expected = g.GetProperty("selections").GetProperty($"{direction}_{k}").EnumerateArray().Select(v => v.GetInt32());
        Assert.Equal(expected, model.SelectedSlots);
        Assert.Contains("MAE, 5-fold CV", model.Method);
    }

    private sealed class Wide
    {
        [VectorType(20)]
        public float[] Features { get; set; } = new float[20];
        public bool Label { get; set; }
    }
}
