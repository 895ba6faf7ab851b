using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog methods on <c>mlContext.Transforms.FeatureSelection</c>: filter and embedded selection with exposed scores.</summary>
public static class FeatureSelectionCatalog
{
    /// <summary>
    /// Filter selection: scores every slot against the label and keeps the best (scikit-learn's SelectKBest /
    /// SelectPercentile). <paramref name="count"/> applies when neither <paramref name="percentile"/> nor
    /// <paramref name="threshold"/> is given. Ties keep the lower slot index.
    /// </summary>
    /// <param name="catalog">The feature selection catalog.</param>
    /// <param name="outputColumnName">The column to write: the kept slots, with their slot names.</param>
    /// <param name="inputColumnName">The known-size vector of Single to select from.</param>
    /// <param name="labelColumnName">The label.</param>
    /// <param name="scoring">The statistic.</param>
    /// <param name="count">Keep the best count slots.</param>
    /// <param name="percentile">Keep the best ⌊slots × percentile / 100⌋ slots.</param>
    /// <param name="threshold">Keep slots scoring at least this.</param>
    public static ScoreSelectionEstimator SelectFeaturesByScore(this TransformsCatalog.FeatureSelectionTransforms catalog,
        string outputColumnName, string inputColumnName, string labelColumnName = "Label", FeatureScoring scoring = FeatureScoring.ChiSquare,
        int? count = 10, double? percentile = null, double? threshold = null) =>
        SelectFeaturesByScore(catalog, new ScoreSelectionOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            LabelColumnName = labelColumnName,
            Scoring = scoring,
            Count = percentile is null && threshold is null ? count : null,
            Percentile = percentile,
            Threshold = threshold,
        });

    /// <summary>Filter selection with every option (discrete features and neighbours for mutual information, seed).</summary>
    /// <param name="catalog">The feature selection catalog.</param>
    /// <param name="options">The options.</param>
    public static ScoreSelectionEstimator SelectFeaturesByScore(this TransformsCatalog.FeatureSelectionTransforms catalog, ScoreSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ScoreSelectionEstimator(CatalogUtils.GetEnvironment(catalog), options);
    }

    /// <summary>
    /// Embedded selection with the Lasso on standardized features (scikit-learn's SelectFromModel(Lasso(alpha))):
    /// keeps |coefficient| ≥ <paramref name="threshold"/> (default 1e-5), or the top <paramref name="count"/>.
    /// </summary>
    /// <param name="catalog">The feature selection catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The known-size vector of Single to select from.</param>
    /// <param name="labelColumnName">A numeric, Boolean or key label.</param>
    /// <param name="alpha">The L1 penalty of 1/(2n)·‖y − Xw − b‖² + α‖w‖₁.</param>
    /// <param name="threshold">Keep slots with |coefficient| at least this (default 1e-5 when count is null).</param>
    /// <param name="count">Keep the top count slots by |coefficient| instead.</param>
    /// <param name="tolerance">Stop when the duality gap is at most tolerance·‖yc‖²/n.</param>
    /// <param name="maxSweeps">At most this many coordinate-descent sweeps.</param>
    public static LassoSelectionEstimator SelectFeaturesByLasso(this TransformsCatalog.FeatureSelectionTransforms catalog,
        string outputColumnName, string inputColumnName, string labelColumnName = "Label", double alpha = 0.1,
        double? threshold = null, int? count = null, double tolerance = 1e-10, int maxSweeps = 100_000) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, labelColumnName, alpha, threshold, count, tolerance, maxSweeps);

    /// <summary>
    /// Embedded selection with ridge regression on standardized features (closed form): keeps the top
    /// <paramref name="count"/> slots by |coefficient|, or those with |coefficient| ≥ <paramref name="threshold"/>.
    /// </summary>
    /// <param name="catalog">The feature selection catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The known-size vector of Single to select from.</param>
    /// <param name="labelColumnName">A numeric, Boolean or key label.</param>
    /// <param name="alpha">The L2 penalty of ‖y − Xw‖² + α‖w‖².</param>
    /// <param name="count">Keep the top count slots.</param>
    /// <param name="threshold">Keep slots with |coefficient| at least this instead.</param>
    public static RidgeSelectionEstimator SelectFeaturesByRidge(this TransformsCatalog.FeatureSelectionTransforms catalog,
        string outputColumnName, string inputColumnName, string labelColumnName = "Label", double alpha = 1.0, int? count = 10, double? threshold = null) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, labelColumnName, alpha, count, threshold);

    /// <summary>
    /// Embedded selection by FastTree split gains: keeps the top <paramref name="count"/> slots (or gain ≥ <paramref name="threshold"/>).
    /// </summary>
    /// <param name="catalog">The feature selection catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The known-size vector of Single to select from.</param>
    /// <param name="labelColumnName">A Boolean label (binary trees) or a numeric/key label (regression trees).</param>
    /// <param name="count">Keep the top count slots.</param>
    /// <param name="threshold">Keep slots whose gain is at least this instead.</param>
    /// <param name="numberOfTrees">Boosted trees.</param>
    /// <param name="numberOfLeaves">Leaves per tree.</param>
    /// <param name="seed">Training seed.</param>
    public static TreeImportanceSelectionEstimator SelectFeaturesByTreeImportance(this TransformsCatalog.FeatureSelectionTransforms catalog,
        string outputColumnName, string inputColumnName, string labelColumnName = "Label", int? count = 10, double? threshold = null,
        int numberOfTrees = 100, int numberOfLeaves = 20, int seed = 0) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, labelColumnName, count, threshold, numberOfTrees, numberOfLeaves, seed);

    /// <summary>
    /// Wrapper selection (book: wrapper methods): <paramref name="search"/> walks through subsets of
    /// <paramref name="inputColumnName"/>'s slots, each scored by <paramref name="folds"/>-fold cross-validation (stratified
    /// for classification) of the estimator <paramref name="model"/> builds for the candidate feature column's name; the
    /// best subset is kept. See <see cref="WrapperSelectionEstimator"/>.
    /// </summary>
    /// <param name="catalog">The feature-selection catalog.</param>
    /// <param name="outputColumnName">The selected slots.</param>
    /// <param name="inputColumnName">A known-size vector of Single.</param>
    /// <param name="model">Builds the estimator trained on a candidate column, e.g. <c>c => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: c)</c>.</param>
    /// <param name="search">e.g. <c>WrapperSearch.SequentialForward()</c>.</param>
    /// <param name="labelColumnName">The label the metric reads.</param>
    /// <param name="metric">What to optimise; null: AUC (Boolean label), macro accuracy (key), MAE (number).</param>
    /// <param name="folds">Cross-validation folds per subset.</param>
    /// <param name="seed">Seed of the folds and of the random searches.</param>
    /// <param name="maxEvaluations">Most subsets scored.</param>
    /// <param name="timeBudget">No new subset is scored after it.</param>
    /// <param name="parallel">Score a step's subsets on all cores (turn off for estimators that are not thread-safe).</param>
    /// <param name="progress">Told of every subset scored.</param>
    /// <param name="foldColumnName">The caller's folds instead of drawn ones: each distinct value of this column is one fold (groups, periods, another library's split).</param>
    public static WrapperSelectionEstimator SelectFeaturesBySearch(this TransformsCatalog.FeatureSelectionTransforms catalog, string outputColumnName, string inputColumnName,
        Func<string, IEstimator<ITransformer>> model, WrapperSearch search, string labelColumnName = "Label", WrapperMetric? metric = null, int folds = 5, int seed = 0,
        int? maxEvaluations = null, TimeSpan? timeBudget = null, bool parallel = true, IProgress<SubsetEvaluation>? progress = null, string? foldColumnName = null) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, model, search, metric, labelColumnName, folds, seed, maxEvaluations, timeBudget, parallel, progress, foldColumnName);
}
