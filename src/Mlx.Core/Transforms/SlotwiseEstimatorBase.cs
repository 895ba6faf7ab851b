using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;

namespace Mlx.Core.Transforms;

/// <summary>
/// Base of the estimators that fit a <see cref="SlotwiseTransformerBase"/>: checks the input column
/// (existence, Single or known-size vector of Single) at pipeline construction and at fit time, and
/// propagates the output schema (same shape, slot names kept).
/// </summary>
/// <typeparam name="TTransformer">The transformer the estimator fits.</typeparam>
public abstract class SlotwiseEstimatorBase<TTransformer> : IEstimator<TTransformer>
    where TTransformer : SlotwiseTransformerBase
{
    private protected SlotwiseEstimatorBase(IHostEnvironment env, string registrationName, string outputColumnName, string? inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        Host = env.Register(registrationName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    private protected IHost Host { get; }

    /// <summary>The column the fitted transformer writes.</summary>
    public string OutputColumnName { get; }

    /// <summary>The column the estimator fits on and the transformer reads.</summary>
    public string InputColumnName { get; }

    /// <summary>Fits the transformer on <paramref name="input"/> (one or more streaming passes over the input column).</summary>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = SlotColumn.Resolve(input.Schema, InputColumnName);
        return FitCore(input, column);
    }

    /// <summary>Fits on a validated input column.</summary>
    private protected abstract TTransformer FitCore(IDataView input, SlotColumn column);

    /// <summary>The schema after the transform: the output column has the input column's shape and slot names.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SlotColumn.ResolveShape(inputSchema, InputColumnName);
        var result = inputSchema.ToDictionary(c => c.Name);
        var annotations = new List<SchemaShape.Column>();
        if (input.Annotations.TryFindColumn(AnnotationUtils.Kinds.SlotNames, out var slotNames))
            annotations.Add(slotNames);
        result[OutputColumnName] = new SchemaShape.Column(OutputColumnName, input.Kind, input.ItemType, false, new SchemaShape(annotations));
        return new SchemaShape(result.Values);
    }
}
