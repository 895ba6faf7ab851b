using Microsoft.ML;
using Mlx.FeatureEngineering;

namespace Mlx.Benchmarks;

/// <summary>Discretization, dummy coding, exact PCA and LDA on fe_bench's data sets.</summary>
internal static class TransformsBenchmark
{
    public static IReadOnlyList<BenchmarkResult> Discretize(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int n = options.Rows(1_000_000);
        var data = new Lazy<IDataView>(() => SyntheticData.Lognormal(ml, n));
        var shape = $"{n:N0} x 10 lognormal";
        FeatureEngineeringSuite.Op Op(string name, BinningStrategy strategy) =>
            new(name, shape, () => data.Value, m => m.Transforms.Discretize("Y", "X", 5, strategy), "Y");
        return FeatureEngineeringSuite.Run(options, ml,
        [
            Op("kbins_uniform", BinningStrategy.Uniform),
            Op("kbins_quantile", BinningStrategy.Quantile),
            Op("kbins_kmeans", BinningStrategy.KMeans),
        ], "sklearn 1.2 KBinsDiscretizer");
    }

    public static IReadOnlyList<BenchmarkResult> Dummy(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int n = options.Rows(1_000_000);
        var codes = new Lazy<IDataView>(() => SyntheticData.CategoricalCodes(ml, n));
        var text = new Lazy<IDataView>(() => SyntheticData.CategoricalText(ml, n));
        return FeatureEngineeringSuite.Run(options, ml,
        [
            new("onehot_int_sparse", $"{n:N0} x 5, 20 levels", () => codes.Value, m => m.Transforms.Categorical.DummyEncoding("Y", "X"), "Y"),
            new("onehot_str_sparse", $"{n:N0} x 5, 20 levels (text)", () => text.Value, m => m.Transforms.Categorical.DummyEncoding("Y", "X"), "Y"),
        ], "sklearn 1.2 OneHotEncoder(drop='first')");
    }

    public static IReadOnlyList<BenchmarkResult> Projection(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int n = options.Rows(200_000);
        var pca = new Lazy<IDataView>(() => SyntheticData.Pca(ml, n));
        var lda = new Lazy<IDataView>(() => SyntheticData.Lda(ml, n));
        return FeatureEngineeringSuite.Run(options, ml,
        [
            new("pca_full", $"{n:N0} x 100 -> 10", () => pca.Value, m => m.Transforms.ProjectToPrincipalComponentsExact("Y", "X", 10), "Y"),
            new("lda_svd", $"{n:N0} x 100, 10 classes", () => lda.Value, m => m.Transforms.ProjectToLinearDiscriminants("Projected", "X", "Label"), "Projected"),
            new("lda_eigen", $"{n:N0} x 100, 10 classes", () => lda.Value,
                m => m.Transforms.ProjectToLinearDiscriminants("Projected", "X", "Label", solver: LdaSolver.Eigen), "Projected"),
        ], "sklearn 1.2 PCA(full) / LinearDiscriminantAnalysis");
    }

    public static IReadOnlyList<BenchmarkResult> Selection(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int n = options.Rows(200_000);
        var discrete = new Lazy<IDataView>(() => SyntheticData.Discrete(ml, n));
        var lasso = new Lazy<IDataView>(() => SyntheticData.Lasso(ml, n));
        string d50 = $"{n:N0} x 50 (ints 0..10, 5 classes)", d100 = $"{n:N0} x 100";
        IEstimator<ITransformer> Mi(MLContext m) => m.Transforms.FeatureSelection.SelectFeaturesByScore(new ScoreSelectionOptions
        {
            OutputColumnName = "Y", InputColumnName = "X", Scoring = FeatureScoring.MutualInformation, DiscreteFeatures = true, Count = 10,
        });
        return FeatureEngineeringSuite.Run(options, ml,
        [
            new("chi2_score", d50, () => discrete.Value, m => m.Transforms.FeatureSelection.SelectFeaturesByScore("Y", "X", count: 10), null),
            new("chi2_select", d50, () => discrete.Value, m => m.Transforms.FeatureSelection.SelectFeaturesByScore("Y", "X", count: 10), "Y"),
            new("mi_discrete_select", d50, () => discrete.Value, Mi, "Y"),
            new("mi_discrete_score", d50, () => discrete.Value, Mi, null),
            new("lasso_select", d100, () => lasso.Value, m => m.Transforms.FeatureSelection.SelectFeaturesByLasso("Y", "X", alpha: 0.1), "Y"),
            new("lasso_fit", d100, () => lasso.Value, m => m.Transforms.FeatureSelection.SelectFeaturesByLasso("Y", "X", alpha: 0.1), null),
        ], "sklearn 1.2 SelectKBest(chi2 / mutual_info) / SelectFromModel(Lasso)");
    }
}
