using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Transforms;

namespace Mlx.FeatureEngineering;

/// <summary>Which way a <see cref="LogExpTransformer"/> maps.</summary>
public enum LogExpDirection
{
    /// <summary>y = ln(x + offset).</summary>
    Log = 0,

    /// <summary>y = exp(x) − offset (the inverse of <see cref="Log"/>).</summary>
    Exp = 1,
}

/// <summary>
/// Creates a <see cref="LogExpTransformer"/>. Nothing is learned: <see cref="NumericColumnEstimatorBase{T}.Fit"/>
/// only checks the column, so the transformer is the same whatever data it is fitted on.
/// </summary>
public sealed class LogExpEstimator : NumericColumnEstimatorBase<LogExpTransformer>
{
    private readonly LogExpDirection _direction;
    private readonly double _offset;

    internal LogExpEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName, LogExpDirection direction, double offset)
        : base(env, nameof(LogExpEstimator), outputColumnName, inputColumnName)
    {
        if (!double.IsFinite(offset))
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must be a finite number.");
        _direction = direction;
        _offset = offset;
    }

    private protected override LogExpTransformer FitCore(IDataView input, SlotColumn column) =>
        new(Host, OutputColumnName, column, _direction, _offset);
}
