namespace Mlx.Workflow;

/// <summary>Step 2, the measure of success: a metric of the task by its name in ML.NET's evaluator output, and its direction.</summary>
/// <param name="Name">Short name: auc, auprc, accuracy, f1, log-loss, macro-accuracy, mae, rmse, r2.</param>
/// <param name="HigherIsBetter">Direction.</param>
/// <param name="Description">What ML.NET metric it is.</param>
public sealed record SuccessMetric(string Name, bool HigherIsBetter, string Description)
{
    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => HigherIsBetter ? a > b : a < b;

    /// <summary>The better of two values.</summary>
    public double Best(double a, double b) => IsBetter(b, a) ? b : a;
}
