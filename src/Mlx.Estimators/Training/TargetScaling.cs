using TorchSharp;
using TorchSharp.Modules;

namespace Mlx.Estimators;

/// <summary>
/// Standardized regression targets (scikit-learn's <c>TransformedTargetRegressor</c> with a <c>StandardScaler</c>):
/// the network learns (y − mean) / SD of each output, so that a target in the hundreds of thousands does not meet
/// weights initialized for unit scale; after training the scale is folded into the linear output layer
/// (W ← SD·W, b ← SD·b + mean), so the model predicts y itself and its saved form is an ordinary network.
/// </summary>
internal sealed class TargetScaling
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    private TargetScaling(double[] mean, double[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>Mean and population SD of each output over the training rows (SD 1 for a constant output).</summary>
    public static TargetScaling Fit(TrainingData train)
    {
        int width = train.TargetWidth;
        var mean = new double[width];
        var scale = new double[width];
        var targets = train.Targets;
        for (int r = 0; r < train.Rows; r++)
            for (int j = 0; j < width; j++)
                mean[j] += targets[r * width + j];
        for (int j = 0; j < width; j++)
            mean[j] /= Math.Max(1, train.Rows);
        for (int r = 0; r < train.Rows; r++)
            for (int j = 0; j < width; j++)
            {
                double d = targets[r * width + j] - mean[j];
                scale[j] += d * d;
            }
        for (int j = 0; j < width; j++)
        {
            double sd = Math.Sqrt(scale[j] / Math.Max(1, train.Rows));
            scale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1;
        }
        return new TargetScaling(mean, scale);
    }

    /// <summary>Standardizes the targets of <paramref name="data"/> in place (training and validation rows alike).</summary>
    public void Apply(TrainingData data)
    {
        int width = _mean.Length;
        var targets = data.Targets;
        for (int r = 0; r < data.Rows; r++)
            for (int j = 0; j < width; j++)
                targets[r * width + j] = (float)((targets[r * width + j] - _mean[j]) / _scale[j]);
    }

    /// <summary>Folds the scale into the output layer: its outputs become the targets' own units.</summary>
    public void FoldInto(Linear output)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var scale = torch.tensor(_scale.Select(s => (float)s).ToArray());
        var mean = torch.tensor(_mean.Select(m => (float)m).ToArray());
        output.weight!.mul_(scale.unsqueeze(1));
        output.bias!.mul_(scale).add_(mean);
    }

    /// <summary>The standardization in words, for the training log.</summary>
    public string Describe() => string.Join("; ", _mean.Select((m, j) => $"output {j}: mean {m:G4}, SD {_scale[j]:G4}"));
}
