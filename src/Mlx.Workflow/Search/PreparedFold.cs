using Microsoft.ML;

namespace Mlx.Workflow;

/// <summary>A (training, validation) pair of the protocol with the preparation fitted on its training rows, both sides prepared and cached: "Features" and the label only.</summary>
/// <param name="Train">Prepared training rows.</param>
/// <param name="Validation">Prepared validation rows.</param>
/// <param name="TrainRows">Training rows.</param>
internal sealed record PreparedFold(IDataView Train, IDataView Validation, int TrainRows);
