namespace Mlx.Workflow;

/// <summary>
/// Step 5: a common-sense prediction that needs no learning (majority class, class shares, mean, last value); every
/// candidate model must beat the best of them.
/// </summary>
/// <param name="Name">What it predicts, in words.</param>
/// <param name="Evaluate">The task's metrics of the prediction made from the training rows (first array) for the evaluation rows (second).</param>
internal sealed record Baseline(string Name, Func<int[], int[], IReadOnlyDictionary<string, double>> Evaluate);
