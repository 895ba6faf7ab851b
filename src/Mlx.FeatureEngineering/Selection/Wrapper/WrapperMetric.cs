using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// What a wrapper search maximises (or minimises) over the cross-validation folds: the task's usual metric, or a
/// caller-supplied function of the scored fold with its direction.
/// </summary>
public sealed record WrapperMetric(string Name, Func<IDataView, string, double> Evaluate, bool HigherIsBetter)
{
    /// <summary>Area under the ROC curve (binary; calibrated or not).</summary>
    public static WrapperMetric BinaryAuc { get; } = new("AUC", (scored, label) => Binary(scored, label).AreaUnderRocCurve, true);

    /// <summary>Accuracy (binary).</summary>
    public static WrapperMetric BinaryAccuracy { get; } = new("accuracy", (scored, label) => Binary(scored, label).Accuracy, true);

    /// <summary>Macro-averaged accuracy (multiclass: the mean of the per-class recalls).</summary>
    public static WrapperMetric MulticlassMacroAccuracy { get; } = new("macro accuracy", (scored, label) => new MLContext().MulticlassClassification.Evaluate(scored, label).MacroAccuracy, true);

    /// <summary>Micro accuracy (multiclass).</summary>
    public static WrapperMetric MulticlassAccuracy { get; } = new("accuracy", (scored, label) => new MLContext().MulticlassClassification.Evaluate(scored, label).MicroAccuracy, true);

    /// <summary>Mean absolute error (regression; lower is better).</summary>
    public static WrapperMetric RegressionMeanAbsoluteError { get; } = new("MAE", (scored, label) => new MLContext().Regression.Evaluate(scored, label).MeanAbsoluteError, false);

    /// <summary>R² (regression).</summary>
    public static WrapperMetric RegressionRSquared { get; } = new("R²", (scored, label) => new MLContext().Regression.Evaluate(scored, label).RSquared, true);

    /// <summary>A custom metric of a scored fold.</summary>
    public static WrapperMetric Custom(string name, Func<IDataView, double> evaluate, bool higherIsBetter) => new(name, (scored, _) => evaluate(scored), higherIsBetter);

    /// <summary>The usual metric for a label of this type: AUC for Boolean, macro accuracy for keys, MAE for numbers.</summary>
    internal static WrapperMetric For(DataViewType label) =>
        label == BooleanDataViewType.Instance ? BinaryAuc : label is KeyDataViewType ? MulticlassMacroAccuracy : RegressionMeanAbsoluteError;

    private static BinaryClassificationMetrics Binary(IDataView scored, string label) => ValidationCatalog.EvaluateBinary(scored, label);
}
