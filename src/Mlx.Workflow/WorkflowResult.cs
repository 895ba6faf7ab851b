namespace Mlx.Workflow;

/// <summary>What <see cref="WorkflowRunner"/> returns: the saveable model and the report.</summary>
/// <param name="Model">The model (preparation + predictor) retrained on all training and validation rows.</param>
/// <param name="Report">Every step, candidate and metric.</param>
/// <param name="TestRows">Positions (0-based, in the data's order) of the test split's rows.</param>
public sealed record WorkflowResult(WorkflowModel Model, WorkflowReport Report, IReadOnlyList<int> TestRows);
