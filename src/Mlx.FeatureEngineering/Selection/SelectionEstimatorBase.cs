using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering.Selection;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Base of the Mlx feature selectors: checks the feature and label columns, and turns per-slot scores into a
/// <see cref="FeatureSelectionTransformer"/> by count, percentile or threshold.
/// </summary>
public abstract class SelectionEstimatorBase : NumericColumnEstimatorBase<FeatureSelectionTransformer>
{
    private protected SelectionEstimatorBase(IHostEnvironment env, string registrationName, string outputColumnName, string inputColumnName, string labelColumnName,
        int? count, double? percentile, double? threshold)
        : base(env, registrationName, outputColumnName, inputColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        SlotRanking.ValidateRule(count, percentile, threshold);
        LabelColumnName = labelColumnName;
        Count = count;
        Percentile = percentile;
        Threshold = threshold;
    }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    private protected int? Count { get; }

    private protected double? Percentile { get; }

    private protected double? Threshold { get; }

    private protected override Microsoft.ML.SchemaShape.Column OutputShape(Microsoft.ML.SchemaShape.Column input) => VectorOutputWithSlotNames();

    private protected override void CheckOtherColumns(Microsoft.ML.SchemaShape inputSchema)
    {
        if (!inputSchema.TryFindColumn(LabelColumnName, out _))
            throw MlxError.MissingColumn(LabelColumnName, inputSchema.Select(c => c.Name), "labelColumnName");
    }

    /// <summary>Selects by the configured rule and builds the transformer; no kept slot is an error.</summary>
    private protected FeatureSelectionTransformer Build(SlotColumn column, string method, double[] scores, double[]? pValues,
        double[]? coefficients = null, double? intercept = null)
    {
        var selected = SlotRanking.Select(scores, Count, Percentile, Threshold);
        if (selected.Length == 0)
        {
            throw MlxError.CannotFit(MlxError.Where(column.Name), $"{method} kept no slot (best score {scores.Where(s => !double.IsNaN(s)).DefaultIfEmpty(double.NaN).Max():G4})",
                "Lower the threshold (or alpha for Lasso), or select by count.");
        }
        using (var channel = Host.Start("FeatureSelection"))
            channel.Info($"{method}: kept {selected.Length} of {column.SlotCount} slots.");
        return new FeatureSelectionTransformer(Host, OutputColumnName, column, method, scores, pValues, coefficients, intercept, selected);
    }
}
