using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.FeatureEngineering.Selection;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Embedded selection with ridge regression (scikit-learn's <c>Ridge(alpha)</c> objective ‖y − Xw‖² + α‖w‖² on
/// standardized features, solved in closed form from the streamed scatter matrix): keeps the top count by
/// |coefficient| (or those ≥ threshold). Coefficients (of the standardized slots) and intercept are on the transformer.
/// </summary>
public sealed class RidgeSelectionEstimator : SelectionEstimatorBase
{
    private readonly double _alpha;

    internal RidgeSelectionEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, string labelColumnName,
        double alpha, int? count, double? threshold)
        : base(env, nameof(RidgeSelectionEstimator), outputColumnName, inputColumnName, labelColumnName, threshold is null ? count ?? 10 : count, null, threshold)
    {
        if (!(alpha >= 0))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Ridge alpha must be non-negative.");
        _alpha = alpha;
    }

    private protected override FeatureSelectionTransformer FitCore(IDataView input, SlotColumn column)
    {
        var gram = TargetScatter.Gram(input, column, LabelColumnName, "Ridge");
        int d = column.SlotCount;
        // (XsᵀXs + αI)·w = Xsᵀyc, i.e. (n·G + αI)·w = n·b.
        var a = Matrix<double>.Build.Dense(d, d, (i, j) => gram.Rows * gram.G[i, j] + (i == j ? _alpha : 0));
        var rhs = Vector<double>.Build.Dense(d, i => gram.Rows * gram.B[i]);
        var w = (_alpha > 0 ? a.Cholesky().Solve(rhs) : a.Solve(rhs)).ToArray();
        return Build(column, $"Ridge(alpha={_alpha})", w.Select(Math.Abs).ToArray(), pValues: null, coefficients: w, intercept: gram.TargetMean);
    }
}
