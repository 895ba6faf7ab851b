namespace Mlx.Workflow;

/// <summary>
/// What a workflow model needs besides its transformers to be evaluated and read: the task, the label column and its
/// classes (with the positive one), the metric, and the input columns it reads. Stored in the model's zip as
/// <c>Mlx/workflow.json</c>, which ML.NET's loader ignores.
/// </summary>
/// <param name="Task">The task.</param>
/// <param name="Label">The label column of the training data (several: comma separated).</param>
/// <param name="Metric">The success metric's name.</param>
/// <param name="Classes">Class names in key order (classification).</param>
/// <param name="PositiveClass">The positive class (binary).</param>
/// <param name="FeatureColumns">Input columns the model reads.</param>
/// <param name="HasOutputMapping">Whether the model's last part maps keys to class names (the evaluation scores without it).</param>
/// <param name="Chosen">The chosen candidate's name and configuration.</param>
/// <param name="LabelColumns">The label's columns (one, or several for a multilabel or vector label).</param>
public sealed record WorkflowModelInfo(TaskKind Task, string Label, string Metric, IReadOnlyList<string>? Classes, string? PositiveClass,
    IReadOnlyList<string> FeatureColumns, bool HasOutputMapping, string Chosen, IReadOnlyList<string> LabelColumns)
{
    /// <summary>
    /// Each categorical input's levels in the training rows (what the model has a code for), so that new data can be
    /// checked before scoring (<see cref="InputCheck"/>); null in models saved before it was recorded.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? CategoryLevels { get; init; }

    /// <summary>Whether the label has several outputs (multilabel or vector regression).</summary>
    public bool HasVectorLabel => Task is TaskKind.MultilabelClassification or TaskKind.VectorRegression;
}
