namespace Mlx.Workflow;

/// <summary>
/// What the test split says about the final model beyond its metrics, as a data scientist reads it: the confusion
/// matrix and per-class precision and recall (classification), the ROC and precision-recall curves with the model's
/// operating point (binary), predicted against actual values (regression), and the permutation importance of each
/// input column. Computed once, on the test rows, in step 7.
/// </summary>
public sealed record TestDiagnostics
{
    /// <summary>Class names in the order of <see cref="ConfusionMatrix"/>'s rows and columns (classification).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Test rows by actual class (rows) and predicted class (columns) (classification).</summary>
    public IReadOnlyList<IReadOnlyList<int>>? ConfusionMatrix { get; init; }

    /// <summary>Per class: its precision, recall and test rows (classification).</summary>
    public IReadOnlyList<ClassScores>? PerClass { get; init; }

    /// <summary>The ROC curve over the score thresholds, from (0, 0) to (1, 1) (binary): X false positive rate, Y true positive rate.</summary>
    public IReadOnlyList<ThresholdPoint>? Roc { get; init; }

    /// <summary>The precision-recall curve over the score thresholds (binary): X recall, Y precision.</summary>
    public IReadOnlyList<ThresholdPoint>? PrecisionRecall { get; init; }

    /// <summary>The model's decision (its PredictedLabel) on both curves (binary): false positive rate, recall, precision.</summary>
    public OperatingPoint? Operating { get; init; }

    /// <summary>The positive share of the test rows: the precision-recall curve of a model that knows nothing (binary).</summary>
    public double? PositiveShare { get; init; }

    /// <summary>Actual label values of the test rows (regression; at most <see cref="MaxPoints"/>).</summary>
    public IReadOnlyList<double>? Actual { get; init; }

    /// <summary>The model's predictions of the same rows (regression).</summary>
    public IReadOnlyList<double>? Predicted { get; init; }

    /// <summary>Input columns by permutation importance (largest first): how much the test metric worsens when the column's values are shuffled across the test rows.</summary>
    public IReadOnlyList<ColumnImportance> Importance { get; init; } = [];

    /// <summary>Why importance was not computed, or for which columns not (time, column types).</summary>
    public string? ImportanceNote { get; init; }

    /// <summary>Points kept for a regression's scatter plots.</summary>
    public const int MaxPoints = 5_000;
}

/// <summary>One class's test precision and recall.</summary>
/// <param name="Class">The class.</param>
/// <param name="Precision">Share of the rows predicted as the class that are (NaN when none is predicted).</param>
/// <param name="Recall">Share of the class's rows predicted as it.</param>
/// <param name="Support">Test rows of the class.</param>
public sealed record ClassScores(string Class, double Precision, double Recall, int Support);

/// <summary>A point of a curve traced over score thresholds.</summary>
/// <param name="X">False positive rate (ROC) or recall (precision-recall).</param>
/// <param name="Y">True positive rate (ROC) or precision (precision-recall).</param>
/// <param name="Threshold">The score from which rows are predicted positive.</param>
public sealed record ThresholdPoint(double X, double Y, double Threshold);

/// <summary>Where the model's decisions sit on the ROC and precision-recall curves.</summary>
/// <param name="FalsePositiveRate">False positive rate of its PredictedLabel.</param>
/// <param name="Recall">Recall (true positive rate).</param>
/// <param name="Precision">Precision (NaN when it predicts no positive).</param>
public sealed record OperatingPoint(double FalsePositiveRate, double Recall, double Precision);

/// <summary>Permutation importance of an input column on the test rows (scikit-learn's <c>permutation_importance</c>).</summary>
/// <param name="Column">The input column.</param>
/// <param name="Drop">Mean worsening of the test metric over the shuffles (positive: the model uses it).</param>
/// <param name="StandardDeviation">Its spread over the shuffles.</param>
public sealed record ColumnImportance(string Column, double Drop, double StandardDeviation);
