using Microsoft.ML;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Numerics;
using Mlx.FeatureEngineering.Selection.Embedded;

namespace Mlx.FeatureEngineering.Selection;

/// <summary>
/// One streaming pass accumulating the scatter matrix of [x, y] (features and a numeric label): everything
/// correlation scores and linear embedded selectors need, in d² memory.
/// </summary>
internal static class TargetScatter
{
    public static (ScatterAccumulator Scatter, long Rows) Read(IDataView input, SlotColumn column, string labelColumnName, string component)
    {
        var target = NumericLabelColumn.Resolve(input.Schema, labelColumnName);
        var scatter = new ScatterAccumulator(column.SlotCount + 1);
        RowBlock? extended = null;
        long rows = RowBlockReader.Read(input, column, component, block =>
        {
            // The label becomes slot d of a reused wider block.
            extended ??= new RowBlock(block.SlotCount + 1, block.Capacity);
            extended.Rows = block.Rows;
            extended.FirstRow = block.FirstRow;
            Array.Copy(block.Values, extended.Values, block.Values.Length);
            block.Targets.AsSpan(0, block.Rows).CopyTo(extended.Values.AsSpan(block.SlotCount * block.Capacity));
            scatter.Add(extended);
        }, target: target);
        return (scatter, rows);
    }

    public static StandardizedGram Gram(IDataView input, SlotColumn column, string labelColumnName, string component)
    {
        var (scatter, rows) = Read(input, column, labelColumnName, component);
        if (rows < 2)
            throw MlxError.CannotFit(MlxError.Where(column.Name), $"{component} needs at least 2 rows but got {rows}", "Fit on more data.");
        var matrix = scatter.Scatter();
        if (matrix[column.SlotCount, column.SlotCount] == 0)
            throw MlxError.CannotFit(MlxError.Where(labelColumnName), $"the label is constant, so {component} has nothing to explain", "Fit on data whose label varies.");
        return StandardizedGram.From(matrix, scatter.Mean, rows);
    }
}
