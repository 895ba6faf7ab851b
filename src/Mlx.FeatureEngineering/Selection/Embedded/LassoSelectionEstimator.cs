using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.FeatureEngineering.Selection;
using Mlx.FeatureEngineering.Selection.Embedded;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Embedded selection with the Lasso (scikit-learn's <c>SelectFromModel(Lasso(alpha))</c> on standardized features):
/// keeps slots with |coefficient| ≥ threshold (default 1e-5) or the top count by |coefficient|. One streaming pass
/// builds the [x, y] scatter matrix (memory d², not rows); coordinate descent runs on it to a duality gap of
/// 1e-10·‖yc‖²/n by default (scikit-learn's default 1e-4 stops earlier). Coefficients (of the standardized slots)
/// and the intercept are on the transformer. The label must be numeric, Boolean or a key (class index).
/// </summary>
public sealed class LassoSelectionEstimator : SelectionEstimatorBase
{
    private readonly double _alpha, _tolerance;
    private readonly int _maxSweeps;

    internal LassoSelectionEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, string labelColumnName,
        double alpha, double? threshold, int? count, double tolerance, int maxSweeps)
        : base(env, nameof(LassoSelectionEstimator), outputColumnName, inputColumnName, labelColumnName,
            count, null, count is null ? threshold ?? 1e-5 : threshold)
    {
        if (!(alpha > 0))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Lasso alpha must be positive.");
        if (!(tolerance > 0) || maxSweeps < 1)
            throw new ArgumentOutOfRangeException(nameof(tolerance), "tolerance must be positive and maxSweeps at least 1.");
        _alpha = alpha;
        _tolerance = tolerance;
        _maxSweeps = maxSweeps;
    }

    private protected override FeatureSelectionTransformer FitCore(IDataView input, SlotColumn column)
    {
        var gram = TargetScatter.Gram(input, column, LabelColumnName, "Lasso");
        var (w, sweeps, gap) = LassoSolver.Solve(gram, _alpha, _tolerance, _maxSweeps);
        if (!(gap <= _tolerance * gram.YY))
        {
            using var channel = Host.Start("Lasso");
            channel.Warning($"Lasso did not converge in {sweeps} sweeps (duality gap {gap:G3}); raise maxSweeps or the tolerance.");
        }
        return Build(column, $"Lasso(alpha={_alpha})", w.Select(Math.Abs).ToArray(), pValues: null, coefficients: w, intercept: gram.TargetMean);
    }
}
