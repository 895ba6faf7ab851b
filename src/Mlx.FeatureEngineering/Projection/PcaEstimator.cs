using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Numerics;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering.Projection;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Fits an exact PCA (scikit-learn's <c>PCA(n_components, svd_solver='full', whiten)</c>) in double precision.
/// Use <see cref="ProjectionCatalog.ProjectToPrincipalComponentsExact"/>.
/// </summary>
/// <remarks>
/// One streaming pass accumulates the mean and the d×d scatter matrix (blocks of rows centred on their own
/// mean and merged with Chan's formula; SIMD dot products), so memory is independent of the row count;
/// then the covariance is eigendecomposed. Unlike ML.NET's randomized PCA the result is exact and
/// deterministic. Rows with NaN or infinite values are errors (impute first).
/// </remarks>
public sealed class PcaEstimator : NumericColumnEstimatorBase<PcaTransformer>
{
    private readonly int _rank;
    private readonly bool _whiten;

    internal PcaEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName, int rank, bool whiten)
        : base(env, nameof(PcaEstimator), outputColumnName, inputColumnName)
    {
        if (rank < 1)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, "PCA rank must be at least 1.");
        _rank = rank;
        _whiten = whiten;
    }

    private protected override Microsoft.ML.SchemaShape.Column OutputShape(Microsoft.ML.SchemaShape.Column input) => VectorOutputWithSlotNames();

    private protected override PcaTransformer FitCore(IDataView input, SlotColumn column)
    {
        if (_rank > column.SlotCount)
        {
            throw new ArgumentOutOfRangeException(nameof(input), _rank,
                $"PCA rank {_rank} is larger than the {column.SlotCount} slots of column '{column.Name}'. Choose rank <= {column.SlotCount}.");
        }
        using var channel = Host.Start("PCA");
        var clock = Stopwatch.StartNew();
        // The route by shape, as scikit-learn's solvers: fewer rows than columns decompose the rows' Gram matrix.
        var (rows, mean, solution, route) = RowCount.Of(input) < column.SlotCount
            ? FitFewRows(input, column)
            : FitByScatter(input, column);
        if (_whiten)
            CheckWhitenable(column, solution);
        channel.Info($"PCA ({route}): {rows} rows x {column.SlotCount} slots in {clock.Elapsed.TotalSeconds:F2} s; explained variance ratio " +
                     string.Join(", ", solution.ExplainedVarianceRatio.Select(r => r.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        return new PcaTransformer(Host, OutputColumnName, column, mean, solution, _whiten, rows);
    }

    private (long Rows, double[] Mean, PcaSolution Solution, string Route) FitByScatter(IDataView input, SlotColumn column)
    {
        var scatter = new ScatterAccumulator(column.SlotCount);
        long rows = RowBlockReader.Read(input, column, "PCA", scatter.Add);
        CheckRows(input, rows);
        return (rows, scatter.Mean.ToArray(), PcaSolution.Solve(scatter.Scatter(), rows, _rank), "covariance eigendecomposition");
    }

    private (long Rows, double[] Mean, PcaSolution Solution, string Route) FitFewRows(IDataView input, SlotColumn column)
    {
        int d = column.SlotCount;
        var rowsRead = new List<double[]>();
        RowBlockReader.Read(input, column, "PCA", block =>
        {
            for (int i = 0; i < block.Rows; i++)
            {
                var row = new double[d];
                for (int j = 0; j < d; j++)
                    row[j] = block.Values[j * block.Capacity + i];
                rowsRead.Add(row);
            }
        });
        CheckRows(input, rowsRead.Count);
        var mean = new double[d];
        foreach (var row in rowsRead)
            System.Numerics.Tensors.TensorPrimitives.Add<double>(mean, row, mean);
        System.Numerics.Tensors.TensorPrimitives.Divide<double>(mean, rowsRead.Count, mean);
        foreach (var row in rowsRead)
            System.Numerics.Tensors.TensorPrimitives.Subtract<double>(row, mean, row);
        if (PcaSolution.SolveFromRows(rowsRead.ToArray(), _rank) is { } solution)
            return (rowsRead.Count, mean, solution, "Gram matrix of the rows");
        return FitByScatter(input, column);
    }

    private void CheckRows(IDataView input, long rows)
    {
        if (rows < 2)
            throw MlxError.CannotFit(MlxError.Where(InputColumnName), $"PCA needs at least 2 rows but got {rows}", "Fit on more data.");
        if (_rank > rows)
            throw new ArgumentOutOfRangeException(nameof(input), _rank, $"PCA rank {_rank} is larger than the {rows} training rows. Choose rank <= {rows}.");
    }

    /// <summary>Variance below this fraction of the largest component's is zero up to rounding.</summary>
    private const double ZeroVarianceRatio = 1e-12;

    /// <summary>
    /// Whitening divides each component by its standard deviation: a component with (numerically) zero variance would
    /// make every output NaN or infinite (scikit-learn outputs them silently). Refuse at Fit, naming the component.
    /// </summary>
    private void CheckWhitenable(Mlx.Core.Data.SlotColumn column, PcaSolution solution)
    {
        double largest = solution.ExplainedVariance.Max();
        for (int k = 0; k < solution.ExplainedVariance.Length; k++)
        {
            double variance = solution.ExplainedVariance[k];
            if (!(variance > largest * ZeroVarianceRatio))
            {
                throw MlxError.CannotFit(MlxError.Where(column.Name),
                    $"PCA with whitening: component {k + 1} of {_rank} has zero variance ({MlxError.Show(variance)}; the data span only {k} dimension{(k == 1 ? "" : "s")}), so whitening would divide by zero and output NaN",
                    $"Choose rank <= {k}, or fit without whitening (whiten: false).");
            }
        }
    }
}
