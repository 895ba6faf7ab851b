using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Data;

/// <summary>
/// Streams a numeric column (and optionally a class label) out of an <see cref="IDataView"/> in one
/// cursor pass, as <see cref="RowBlock"/>s of consecutive complete rows, for fits that need whole rows
/// (covariances, scatter matrices). Memory is one block, independent of the row count.
/// </summary>
public static class RowBlockReader
{
    /// <summary>The default rows per block: 256 rows × 100 slots of doubles stay within L2 cache.</summary>
    public const int DefaultBlockRows = 256;

    /// <summary>
    /// Reads every row. NaN and infinite values throw (naming column, slot, row and the fix), because
    /// these fits need complete rows. Returns the number of rows read.
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="column">The numeric column, resolved against <paramref name="data"/>'s schema.</param>
    /// <param name="componentName">The component fitting, for messages.</param>
    /// <param name="consume">Called with each full block (and the last partial one); the block is reused afterwards.</param>
    /// <param name="label">A class label to read along, into <see cref="RowBlock.Labels"/>.</param>
    /// <param name="target">A numeric label to read along, into <see cref="RowBlock.Targets"/>.</param>
    /// <param name="blockRows">Rows per block.</param>
    public static long Read(IDataView data, SlotColumn column, string componentName, Action<RowBlock> consume,
        ClassLabelColumn? label = null, NumericLabelColumn? target = null, int blockRows = DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(column);
        var features = data.Schema[column.Index];
        var active = new List<DataViewSchema.Column> { features };
        if (label != null)
            active.Add(data.Schema[label.Index]);
        if (target != null && target.Index != label?.Index)
            active.Add(data.Schema[target.Index]);
        using var cursor = data.GetRowCursor(active);
        var block = new RowBlock(column.SlotCount, blockRows);
        var labelGetter = label?.MakeGetter(cursor);
        var targetGetter = target?.MakeGetter(cursor);
        var vectorGetter = column.IsVector ? cursor.GetGetter<VBuffer<float>>(features) : null;
        var scalarGetter = column.IsVector ? null : cursor.GetGetter<float>(features);
        var buffer = default(VBuffer<float>);
        var dense = new float[column.SlotCount];
        long rows = 0;
        while (cursor.MoveNext())
        {
            if (vectorGetter != null)
            {
                vectorGetter(ref buffer);
                buffer.CopyTo(dense);
            }
            else
            {
                scalarGetter!(ref dense[0]);
            }
            int r = block.Rows;
            for (int j = 0; j < dense.Length; j++)
            {
                float v = dense[j];
                if (!float.IsFinite(v))
                {
                    throw MlxError.BadValue(column.Where(j, cursor.Position), v,
                        float.IsNaN(v) ? $"{componentName} needs complete rows but the value is missing (NaN)" : $"{componentName} needs finite values",
                        float.IsNaN(v)
                            ? "Impute missing values first (mlContext.Transforms.ReplaceMissingValues) or filter those rows (mlContext.Data.FilterRowsByMissingValues)."
                            : "Remove or replace infinite values first (e.g. mlContext.Data.FilterRowsByColumn).");
                }
                block.Values[j * blockRows + r] = v;
            }
            if (labelGetter != null)
                block.Labels[r] = labelGetter(cursor.Position);
            if (targetGetter != null)
                block.Targets[r] = targetGetter(cursor.Position);
            block.Rows = r + 1;
            rows++;
            if (block.Rows == blockRows)
            {
                consume(block);
                block.FirstRow = rows;
                block.Rows = 0;
            }
        }
        if (block.Rows > 0)
            consume(block);
        return rows;
    }
}
