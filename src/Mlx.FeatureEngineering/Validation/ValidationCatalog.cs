using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// The book's evaluation protocols (4.2) on any ML.NET estimator, as extensions of the task catalogs: iterated K-fold
/// (plain, stratified or grouped; P repeats × K folds) and rolling origin for time-ordered data ("the arrow of time").
/// Each fold fits a fresh pipeline on its training rows and evaluates it with the task's ML.NET evaluator.
/// </summary>
public static class ValidationCatalog
{
    private const string Marker = "__MlxValidationSplit";

    /// <summary>
    /// Iterated K-fold for binary classification (stratified by the label unless <paramref name="stratified"/> is false,
    /// or grouped by <paramref name="groupColumnName"/>: a group never spans training and test rows). Metrics per fold:
    /// calibrated ones when the model writes a Probability column.
    /// </summary>
    /// <param name="catalog">The task catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="estimator">The pipeline fitted on each fold.</param>
    /// <param name="folds">K.</param>
    /// <param name="repeats">P: each repeat draws other folds (seed + repeat).</param>
    /// <param name="labelColumnName">The label.</param>
    /// <param name="stratified">Keep each class's share in every fold.</param>
    /// <param name="groupColumnName">Rows of one group stay together (GroupKFold; not repeated: its folds are not random).</param>
    /// <param name="seed">Seed of the fold draws.</param>
    /// <param name="progress">Told of each finished fold.</param>
    public static CrossValidationReport<BinaryClassificationMetrics> CrossValidateIterated(this BinaryClassificationCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int folds = 5, int repeats = 1, string labelColumnName = "Label", bool stratified = true,
        string? groupColumnName = null, int seed = 0, IProgress<FoldMetrics<BinaryClassificationMetrics>>? progress = null) =>
        Iterated(data, estimator, folds, repeats, stratified ? labelColumnName : null, groupColumnName, seed, progress, Binary(labelColumnName));

    /// <summary>Iterated K-fold for multiclass classification; see the binary overload.</summary>
    public static CrossValidationReport<MulticlassClassificationMetrics> CrossValidateIterated(this MulticlassClassificationCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int folds = 5, int repeats = 1, string labelColumnName = "Label", bool stratified = true,
        string? groupColumnName = null, int seed = 0, IProgress<FoldMetrics<MulticlassClassificationMetrics>>? progress = null) =>
        Iterated(data, estimator, folds, repeats, stratified ? labelColumnName : null, groupColumnName, seed, progress,
            scored => new MLContext().MulticlassClassification.Evaluate(scored, labelColumnName));

    /// <summary>Iterated K-fold for regression (plain or grouped folds); see the binary overload.</summary>
    public static CrossValidationReport<RegressionMetrics> CrossValidateIterated(this RegressionCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int folds = 5, int repeats = 1, string labelColumnName = "Label",
        string? groupColumnName = null, int seed = 0, IProgress<FoldMetrics<RegressionMetrics>>? progress = null) =>
        Iterated(data, estimator, folds, repeats, null, groupColumnName, seed, progress,
            scored => new MLContext().Regression.Evaluate(scored, labelColumnName));

    /// <summary>
    /// Rolling-origin evaluation of time-ordered rows (in the data's order): fold i trains on every row before its origin
    /// — <paramref name="initialTrainRows"/> + i × <paramref name="step"/> — and tests on the next
    /// <paramref name="testRows"/>; no future row is ever used for training.
    /// </summary>
    public static CrossValidationReport<RegressionMetrics> CrossValidateRollingOrigin(this RegressionCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int initialTrainRows, int testRows, int? step = null, string labelColumnName = "Label",
        IProgress<FoldMetrics<RegressionMetrics>>? progress = null) =>
        RollingOrigin(data, estimator, initialTrainRows, testRows, step ?? testRows, progress, scored => new MLContext().Regression.Evaluate(scored, labelColumnName));

    /// <summary>Rolling-origin evaluation for binary classification; see the regression overload.</summary>
    public static CrossValidationReport<BinaryClassificationMetrics> CrossValidateRollingOrigin(this BinaryClassificationCatalog catalog, IDataView data,
        IEstimator<ITransformer> estimator, int initialTrainRows, int testRows, int? step = null, string labelColumnName = "Label",
        IProgress<FoldMetrics<BinaryClassificationMetrics>>? progress = null) =>
        RollingOrigin(data, estimator, initialTrainRows, testRows, step ?? testRows, progress, Binary(labelColumnName));

    private static Func<IDataView, BinaryClassificationMetrics> Binary(string label) => scored => EvaluateBinary(scored, label);

    /// <summary>ML.NET's binary metrics of scored data: calibrated ones when the model wrote a Probability column.</summary>
    internal static BinaryClassificationMetrics EvaluateBinary(IDataView scored, string label)
    {
        var ml = new MLContext();
        return scored.Schema.GetColumnOrNull("Probability") != null
            ? ml.BinaryClassification.Evaluate(scored, label)
            : ml.BinaryClassification.EvaluateNonCalibrated(scored, label);
    }

    private static CrossValidationReport<T> Iterated<T>(IDataView data, IEstimator<ITransformer> estimator, int folds, int repeats, string? stratifyBy,
        string? groupBy, int seed, IProgress<FoldMetrics<T>>? progress, Func<IDataView, T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "K-fold needs at least 2 folds.");
        if (repeats < 1)
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "Repeat at least once.");
        var classes = stratifyBy is null ? null : FoldAssignment.Codes(data, stratifyBy, "labelColumnName", "label");
        var groups = groupBy is null ? null : FoldAssignment.Codes(data, groupBy, "groupColumnName", "group id");
        int rows = classes?.Length ?? groups?.Length ?? checked((int)RowCount.Of(data));
        if (rows < folds)
            throw Mlx.Core.Errors.MlxError.CannotFit("the data", $"it has {rows} rows for {folds} folds", "Use fewer folds or more data.");
        if (groups != null)
            repeats = 1; // GroupKFold's folds are not random
        var splits = new List<(int Repeat, int Fold, float[] Marker)>();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            var markers = FoldAssignment.Markers(FoldAssignment.Assign(classes, groups, rows, folds, new Random(seed + repeat)), folds);
            for (int f = 0; f < folds; f++)
                splits.Add((repeat, f, markers[f]));
        }
        string protocol = $"{(groups != null ? "grouped " : classes != null ? "stratified " : "")}{folds}-fold{(repeats > 1 ? $" × {repeats} repeats" : "")}";
        return Run(data, estimator, splits, protocol, progress, evaluate);
    }

    private static CrossValidationReport<T> RollingOrigin<T>(IDataView data, IEstimator<ITransformer> estimator, int initialTrainRows, int testRows, int step,
        IProgress<FoldMetrics<T>>? progress, Func<IDataView, T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        if (initialTrainRows < 1 || testRows < 1 || step < 1)
            throw new ArgumentOutOfRangeException(nameof(initialTrainRows), $"initial {initialTrainRows}, test {testRows}, step {step}", "The first training window, the test window and the step must be at least 1 row.");
        int rows = checked((int)RowCount.Of(data));
        if (initialTrainRows + testRows > rows)
            throw Mlx.Core.Errors.MlxError.CannotFit("the data", $"it has {rows} rows, fewer than the first training window ({initialTrainRows}) + a test window ({testRows})", "Use smaller windows.");
        var splits = new List<(int, int, float[])>();
        int index = 0;
        for (int origin = initialTrainRows; origin + testRows <= rows; origin += step)
        {
            // 0: training (before the origin), 1: test, 2: neither (the future).
            var marker = Enumerable.Range(0, rows).Select(i => i < origin ? 0f : i < origin + testRows ? 1f : 2f).ToArray();
            splits.Add((0, index++, marker));
        }
        return Run(data, estimator, splits, $"rolling origin ({initialTrainRows} rows first, {testRows} tested per origin, step {step})", progress, evaluate);
    }

    private static CrossValidationReport<T> Run<T>(IDataView data, IEstimator<ITransformer> estimator, List<(int Repeat, int Fold, float[] Marker)> splits, string protocol,
        IProgress<FoldMetrics<T>>? progress, Func<IDataView, T> evaluate)
    {
        var results = new List<FoldMetrics<T>>();
        foreach (var (repeat, fold, marker) in splits)
        {
            var (train, test) = Split(data, marker);
            var model = estimator.Fit(train);
            long trainRows = marker.LongCount(m => m == 0), testRows = marker.LongCount(m => m == 1);
            T metrics;
            try
            {
                metrics = evaluate(model.Transform(test));
            }
            catch (ArgumentException e)
            {
                // ML.NET's evaluators name neither the fold nor the cause (e.g. "AUC is not defined when there is no
                // positive class in the data (Parameter 'PosSample')" for a fold whose test rows hold one class).
                throw new InvalidOperationException(
                    $"Evaluating fold {fold + 1}{(repeat > 0 ? $" of repeat {repeat + 1}" : "")} ({protocol}, {testRows} test rows) failed: {e.Message} " +
                    "A fold's test rows probably miss a class: a class with fewer rows than folds cannot be in every fold. Use fewer folds, merge rare classes, or add rows.", e);
            }
            var result = new FoldMetrics<T>(repeat, fold, trainRows, testRows, metrics);
            results.Add(result);
            progress?.Report(result);
        }
        return new CrossValidationReport<T>(protocol, results);
    }

    /// <summary>The rows marked 0 (training) and 1 (test) of <paramref name="data"/>, by position; other marks are in neither.</summary>
    internal static (IDataView Train, IDataView Test) Split(IDataView data, float[] marker)
    {
        var ml = new MLContext();
        var view = new PositionalColumnView(data, Marker, marker);
        var drop = ml.Transforms.DropColumns(Marker);
        var trainRows = ml.Data.FilterRowsByColumn(view, Marker, lowerBound: -0.5, upperBound: 0.5);
        var testRows = ml.Data.FilterRowsByColumn(view, Marker, lowerBound: 0.5, upperBound: 1.5);
        return (drop.Fit(trainRows).Transform(trainRows), drop.Fit(testRows).Transform(testRows));
    }
}
