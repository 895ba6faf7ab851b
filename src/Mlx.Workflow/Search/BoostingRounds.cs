using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;

namespace Mlx.Workflow;

/// <summary>
/// The boosting rounds of one LightGBM fit, as ML.NET's LightGBM trainer logs them on the fit's context ("Met early
/// stopping, best iteration: N"): the best round (the model keeps its trees) and the rounds run (the best plus the
/// patience). Without that line boosting ran all its rounds. The public model types do not expose a multiclass
/// ensemble's size, the log does for every task.
/// </summary>
internal sealed partial class BoostingRounds
{
    private readonly int _most;
    private int? _best;

    /// <summary>Listens to <paramref name="ml"/>'s log; create it before the fit, on the context the fit runs on.</summary>
    /// <param name="ml">The fit's own context.</param>
    /// <param name="most">The fit's most rounds.</param>
    public BoostingRounds(MLContext ml, int most)
    {
        _most = most;
        ml.Log += (_, e) =>
        {
            if (EarlyStopped().Match(e.Message) is { Success: true } m)
                _best = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        };
    }

    /// <summary>The round of the lowest validation loss: the trees the model keeps.</summary>
    public int Best => _best ?? _most;

    /// <summary>Rounds boosted, the patience after the best included.</summary>
    public int Run => _best is { } best ? Math.Min(_most, best + TreeSettings.EarlyStoppingRounds) : _most;

    [GeneratedRegex(@"Met early stopping, best iteration: (\d+)")]
    private static partial Regex EarlyStopped();
}
