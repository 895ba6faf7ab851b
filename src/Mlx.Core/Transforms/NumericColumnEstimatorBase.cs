using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;

namespace Mlx.Core.Transforms;

/// <summary>
/// Base of the estimators that fit a <see cref="NumericColumnTransformerBase"/>: checks the input column
/// (existence, Single or known-size vector of Single) at pipeline construction and at fit time, and
/// propagates the output schema (by default same shape with slot names kept).
/// </summary>
/// <typeparam name="TTransformer">The transformer the estimator fits.</typeparam>
public abstract class NumericColumnEstimatorBase<TTransformer> : IEstimator<TTransformer>
    where TTransformer : NumericColumnTransformerBase
{
    private protected NumericColumnEstimatorBase(IHostEnvironment env, string registrationName, string outputColumnName, string? inputColumnName)
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

    /// <summary>Fits the transformer on <paramref name="input"/> (streaming cursor passes over the input column).</summary>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = SlotColumn.Resolve(input.Schema, InputColumnName);
        return FitCore(input, column);
    }

    /// <summary>Fits on a validated input column.</summary>
    private protected abstract TTransformer FitCore(IDataView input, SlotColumn column);

    /// <summary>The output column's shape for an input column's shape; by default the same, with its slot names.</summary>
    private protected virtual SchemaShape.Column OutputShape(SchemaShape.Column input)
    {
        var annotations = new List<SchemaShape.Column>();
        if (input.Annotations.TryFindColumn(AnnotationUtils.Kinds.SlotNames, out var slotNames))
            annotations.Add(slotNames);
        return new SchemaShape.Column(OutputColumnName, input.Kind, input.ItemType, false, new SchemaShape(annotations));
    }

    /// <summary>A vector-of-Single output column with slot names (for transforms that change the shape).</summary>
    private protected SchemaShape.Column VectorOutputWithSlotNames() =>
        new(OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
            new SchemaShape(new[] { new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false) }));

    /// <summary>Checks the other input columns the estimator needs (e.g. a label), at pipeline construction.</summary>
    private protected virtual void CheckOtherColumns(SchemaShape inputSchema)
    {
    }

    /// <summary>The schema after the transform.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SlotColumn.ResolveShape(inputSchema, InputColumnName);
        CheckOtherColumns(inputSchema);
        var result = inputSchema.ToDictionary(c => c.Name);
        result[OutputColumnName] = OutputShape(input);
        return new SchemaShape(result.Values);
    }
}
