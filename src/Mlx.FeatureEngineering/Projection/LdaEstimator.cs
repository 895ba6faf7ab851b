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
/// Fits a linear discriminant projection (scikit-learn's <c>LinearDiscriminantAnalysis(solver, shrinkage,
/// n_components).fit(X, y).transform</c>): at most classes − 1 components that separate the classes.
/// Use <see cref="ProjectionCatalog.ProjectToLinearDiscriminants"/>.
/// </summary>
/// <remarks>
/// One streaming pass accumulates each class's count, mean and scatter matrix (memory classes × d², not
/// rows); the label may be a key, text, Boolean or number (classes sorted as scikit-learn). Rows with NaN
/// features or a missing label are errors.
/// </remarks>
public sealed class LdaEstimator : NumericColumnEstimatorBase<LdaTransformer>
{
    private readonly string _labelColumnName;
    private readonly int? _rank;
    private readonly LdaSolver _solver;
    private readonly double? _shrinkage;

    internal LdaEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName, string labelColumnName,
        int? rank, LdaSolver solver, double? shrinkage)
        : base(env, nameof(LdaEstimator), outputColumnName, inputColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        if (rank is < 1)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, "LDA rank must be at least 1 (or null for classes − 1).");
        if (shrinkage is double s && !(s >= 0 && s <= 1))
            throw new ArgumentOutOfRangeException(nameof(shrinkage), shrinkage, "Shrinkage must be between 0 and 1.");
        if (shrinkage != null && solver == LdaSolver.Svd)
            throw new ArgumentException("Shrinkage needs LdaSolver.Eigen (as in scikit-learn, the SVD solver does not support it).", nameof(shrinkage));
        _labelColumnName = labelColumnName;
        _rank = rank;
        _solver = solver;
        _shrinkage = shrinkage;
    }

    private protected override Microsoft.ML.SchemaShape.Column OutputShape(Microsoft.ML.SchemaShape.Column input) => VectorOutputWithSlotNames();

    private protected override void CheckOtherColumns(Microsoft.ML.SchemaShape inputSchema) =>
        ClassLabelColumn.ResolveShape(inputSchema, _labelColumnName);

    private protected override LdaTransformer FitCore(IDataView input, SlotColumn column)
    {
        using var channel = Host.Start("LDA");
        var clock = Stopwatch.StartNew();
        var label = ClassLabelColumn.Resolve(input.Schema, _labelColumnName);
        var accumulator = new ClassScatterAccumulator(column.SlotCount);
        long rows = RowBlockReader.Read(input, column, "LDA", accumulator.Add, label);
        var byCode = accumulator.Finish();
        if (label.ClassCount < 2)
        {
            throw MlxError.CannotFit(MlxError.Where(_labelColumnName),
                rows == 0 ? "LDA got no rows to fit on" : $"LDA needs at least 2 classes but the label has only {(label.ClassCount == 0 ? "none" : $"'{label.Classes[0]}'")}",
                "Fit on data that contains every class.");
        }
        if (_solver == LdaSolver.Svd && rows <= label.ClassCount)
            throw MlxError.CannotFit(MlxError.Where(column.Name), $"the SVD solver needs more rows ({rows}) than classes ({label.ClassCount})", "Fit on more data.");

        // Put the per-class statistics in class order.
        var rank = label.ClassOf();
        var classes = new ScatterAccumulator[label.ClassCount];
        for (int code = 0; code < byCode.Count; code++)
            classes[rank[code]] = byCode[code];
        var priors = classes.Select(c => (double)c.Count / rows).ToArray();
        int maxComponents = Math.Min(label.ClassCount - 1, column.SlotCount);
        if (_rank > maxComponents)
        {
            throw new ArgumentOutOfRangeException(nameof(input), _rank,
                $"LDA rank {_rank} is larger than min(classes − 1, slots) = {maxComponents}. Choose rank <= {maxComponents}.");
        }
        var solution = LdaSolution.Solve(_solver, classes, priors, _rank ?? maxComponents, _shrinkage);
        channel.Info($"LDA ({_solver}): {rows} rows, {label.ClassCount} classes, {solution.Scalings.Length} components in {clock.Elapsed.TotalSeconds:F2} s.");
        return new LdaTransformer(Host, OutputColumnName, column, _solver, _shrinkage, solution, label.Classes.ToArray(),
            classes.Select(c => c.Mean.ToArray()).ToArray(), priors);
    }
}
