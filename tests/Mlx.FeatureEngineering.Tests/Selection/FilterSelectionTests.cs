using Microsoft.ML;
using Mlx.FeatureEngineering.Selection.Filter;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Selection;

/// <summary>
/// Filter scores against scikit-learn 1.2.1. chi2: golden files (on MinMaxScaler-scaled X). f_classif (wine),
/// r_regression/f_regression (diabetes): computed with scikit-learn 1.2.1 on the golden CSVs and embedded here.
/// Float32 input: scores to 1e-4 relative, p-values through log p to 1e-3 relative (p ≈ e^(−χ²/2) amplifies score error).
/// </summary>
public class FilterSelectionTests
{
    private static void CloseLogP(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what) =>
        Tolerance.Close(expected.Select(v => Math.Log(v)).ToArray(), actual.Select(v => Math.Log(v)).ToArray(), 1e-3, what: what);

    public static TheoryData<string> Classification => new(SelectionTestData.Classification);

    [Theory]
    [MemberData(nameof(Classification))]
    public void ChiSquare_matches_sklearn(string dataset)
    {
        var (x, labels, columns, golden) = SelectionTestData.Load(dataset);
        // MinMaxScaler as in the golden call.
        var min = Enumerable.Range(0, columns.Length).Select(j => x.Min(r => r[j])).ToArray();
        var max = Enumerable.Range(0, columns.Length).Select(j => x.Max(r => r[j])).ToArray();
        var scaled = x.Select(r => r.Select((v, j) => (v - min[j]) / (max[j] - min[j])).ToArray()).ToArray();
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore("Kept", "Features", count: 2).Fit(SelectionTestData.WithClasses(ml, scaled, labels));
        var expected = GoldenJson.Vector(golden.At("chi2", "scores"));
        Tolerance.Close(expected, model.Scores.ToArray(), 1e-4, floor: 1e-3, what: "chi2");
        CloseLogP(GoldenJson.Vector(golden.At("chi2", "pvalues")), model.PValues!.ToArray(), "chi2 p");
        var best = expected.Select((s, j) => (s, j)).OrderByDescending(t => t.s).ThenBy(t => t.j).Take(2).Select(t => t.j).Order();
        Assert.Equal(best, model.SelectedSlots);
    }

    [Fact]
    public void ChiSquare_p_values_are_the_chi_square_tail_exactly()
    {
        // Closed form: df = 2 has survival e^(−x/2); df = 1 survival erfc(√(x/2)).
        Assert.Equal(Math.Exp(-3.7), FilterStatistics.ChiSquareSurvival(7.4, 2), 1e-15);
        Assert.Equal(MathNet.Numerics.SpecialFunctions.Erfc(Math.Sqrt(4.2 / 2)), FilterStatistics.ChiSquareSurvival(4.2, 1), 1e-15);
    }

    [Fact]
    public void AnovaF_matches_sklearn_f_classif_on_wine()
    {
        double[] f = [135.07762424283948, 36.94342496318376, 13.312901199989989, 35.77163740730817, 12.429584338150178, 93.73300962036775, 233.92587268154838, 27.575417146965727, 30.27138317022791, 120.66401844100372, 101.31679539029965, 189.97232057888206, 207.92037390217828];
        double[] p = [3.319503795566952e-36, 4.127228798041549e-14, 4.149967974797001e-06, 9.444472938834056e-14, 8.963395439248853e-06, 2.137670015437993e-28, 3.598585830714539e-50, 3.888040900479377e-11, 5.125358737545633e-12, 1.1620080219273226e-33, 5.917662216362997e-30, 1.393104956945986e-44, 5.78316835610455e-47];
        var (x, labels, _, _) = SelectionTestData.Load("wine");
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore("Kept", "Features", scoring: FeatureScoring.AnovaF, percentile: 25)
            .Fit(SelectionTestData.WithClasses(ml, x, labels));
        Tolerance.Close(f, model.Scores.ToArray(), 1e-4, what: "F");
        CloseLogP(p, model.PValues!.ToArray(), "F p");
        Assert.Equal([6, 11, 12], model.SelectedSlots); // ⌊13 × 25 / 100⌋ = 3 best: flavanoids 234, proline 208, od280 190
    }

    [Fact]
    public void Correlation_matches_sklearn_r_regression_and_f_regression_on_diabetes()
    {
        double[] r = [0.1878887507189192, 0.5864501344746971, 0.44148175856257443, 0.21202248101455007, 0.17405358696874218, -0.3947892506709187, 0.430452884744773, 0.5658825924427326, 0.38248348424857875];
        double[] p = [7.055686149115831e-05, 3.466006445155271e-42, 1.6493720527411896e-22, 6.920711787759529e-06, 0.00023598480959852007, 6.162864695183821e-18, 2.304253281753632e-21, 8.82645895891612e-39, 7.580083266087534e-17];
        var (x, labels, _, _) = SelectionTestData.Load("diabetes");
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore("Kept", "Features", scoring: FeatureScoring.Correlation, count: 3)
            .Fit(SelectionTestData.WithNumericTarget(ml, x, labels));
        Tolerance.Close(r, model.Coefficients!.ToArray(), 1e-5, what: "r");
        Tolerance.Close(r.Select(Math.Abs).ToArray(), model.Scores.ToArray(), 1e-5, what: "|r|");
        CloseLogP(p, model.PValues!.ToArray(), "f_regression p");
        Assert.Equal([1, 2, 7], model.SelectedSlots); // |r| ranks: bmi 0.586, s5 0.566, bp 0.441
    }

    [Theory]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    [InlineData("mixed_cat")]
    [InlineData("diabetes")]
    [InlineData("diabetes_scaled")]
    public void Continuous_mutual_information_agrees_within_sklearns_seed_spread(string dataset)
    {
        var (x, labels, _, golden) = SelectionTestData.Load(dataset);
        var section = golden.At("mutual_info", "continuous");
        bool regression = golden.At("mutual_info", "function").GetString() == "mutual_info_regression";
        var ml = new MLContext(seed: 1);
        var data = regression ? SelectionTestData.WithNumericTarget(ml, x, labels) : SelectionTestData.WithClasses(ml, x, labels);
        var model = ml.Transforms.FeatureSelection.SelectFeaturesByScore(new ScoreSelectionOptions
        {
            OutputColumnName = "Kept", InputColumnName = "Features", Scoring = FeatureScoring.MutualInformation, Count = 1,
        }).Fit(data);
        // sklearn's estimates over random_state 0..4 spread by up to the recorded amount; ours uses another noise stream.
        // On tied data (iris) the jitter decides neighbour order, so five seeds understate the spread: 50 seeds of
        // scikit-learn 1.2.1 on iris span 1.6x the recorded 5-seed spread (petal width: 0.972 to 1.0037). Margin: twice
        // the recorded spread, at least 0.01 nats (the golden notes' figure).
        var perSeed = GoldenJson.Matrix(section.GetProperty("values_random_state_0_to_4"));
        var spread = GoldenJson.Vector(section.GetProperty("max_abs_spread_over_random_states"));
        for (int j = 0; j < spread.Length; j++)
        {
            double lo = perSeed.Min(s => s[j]), hi = perSeed.Max(s => s[j]);
            double margin = Math.Max(2 * spread[j], 0.01);
            Assert.InRange(model.Scores[j], lo - margin, hi + margin);
        }
    }

    [Theory]
    [MemberData(nameof(Classification))]
    public void Discrete_mutual_information_on_quantile_bins_matches_sklearn_exactly(string dataset)
    {
        var (x, labels, _, golden) = SelectionTestData.Load(dataset);
        var ml = new MLContext(seed: 1);
        var data = SelectionTestData.WithClasses(ml, x, labels);
        var model = ml.Transforms.Discretize("Bins", "Features", 5, BinningStrategy.Quantile)
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesByScore(new ScoreSelectionOptions
            {
                OutputColumnName = "Kept", InputColumnName = "Bins", Scoring = FeatureScoring.MutualInformation, DiscreteFeatures = true, Count = 3,
            })).Fit(data);
        var selector = ((IEnumerable<ITransformer>)model).OfType<FeatureSelectionTransformer>().Single();
        Tolerance.Close(GoldenJson.Vector(golden.At("mutual_info", "discrete_quantile5", "values")), selector.Scores.ToArray(), 1e-9, floor: 1e-3, what: "MI");
        Assert.Null(selector.PValues);
    }
}
