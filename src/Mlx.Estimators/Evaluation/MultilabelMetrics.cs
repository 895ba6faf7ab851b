namespace Mlx.Estimators;

/// <summary>One label's binary metrics within a multilabel evaluation.</summary>
/// <param name="Name">The label (slot name).</param>
/// <param name="Accuracy">Fraction of rows where the prediction equals the label.</param>
/// <param name="Precision">True positives / predicted positives (NaN when nothing is predicted positive).</param>
/// <param name="Recall">True positives / actual positives (NaN without positives).</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are 0, NaN when undefined).</param>
/// <param name="Positives">Rows where the label is true.</param>
public sealed record LabelMetrics(string Name, double Accuracy, double Precision, double Recall, double F1, long Positives);

/// <summary>Metrics of a multilabel classifier (as scikit-learn's multilabel metrics).</summary>
/// <param name="SubsetAccuracy">Fraction of rows whose every label is right (sklearn <c>accuracy_score</c>).</param>
/// <param name="HammingLoss">Fraction of wrong labels over all rows and labels.</param>
/// <param name="MicroF1">F1 over all labels' pooled counts.</param>
/// <param name="MacroF1">Mean of the labels' F1 (labels with undefined F1 count as 0, as sklearn's zero_division=0).</param>
/// <param name="PerLabel">Each label's metrics.</param>
public sealed record MultilabelMetrics(double SubsetAccuracy, double HammingLoss, double MicroF1, double MacroF1, IReadOnlyList<LabelMetrics> PerLabel);

/// <summary>One output's regression metrics within a vector-regression evaluation.</summary>
public sealed record OutputMetrics(string Name, double MeanAbsoluteError, double RootMeanSquaredError, double RSquared);

/// <summary>Metrics of a vector regression: per output, and their means.</summary>
public sealed record VectorRegressionMetrics(double MeanAbsoluteError, double RootMeanSquaredError, double RSquared, IReadOnlyList<OutputMetrics> PerOutput);
