using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;
using Mlx.Core.Numerics;

namespace Mlx.Core.Data;

/// <summary>
/// Streams a numeric column (and optionally a class label) out of an <see cref="IDataView"/> in one
/// cursor pass, as <see cref="RowBlock"/>s of consecutive complete rows, for fits that need whole rows
/// (covariances, scatter matrices). Memory is one block, independent of the row count.
/// </summary>
public static class RowBlockReader
{
    /// <summary>Rows per block: 1,024, fewer for wide rows so that a block stays within about 8 MB.</summary>
    public static int BlockRowsFor(int slots) => Math.Clamp((1 << 20) / Math.Max(slots, 1), 64, 1024);

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
        ClassLabelColumn? label = null, NumericLabelColumn? target = null, int? blockRows = null)
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
        int capacity = blockRows ?? BlockRowsFor(column.SlotCount);
        var labelGetter = label?.MakeGetter(cursor);
        var targetGetter = target?.MakeGetter(cursor);
        var read = DenseRowReader.Create<float>(cursor, features, column.IsVector, column.SlotCount);
        // Rows are staged row-major, 8 at a time, then transposed: each column write fills a whole cache line.
        const int Stage = 8;
        int d = column.SlotCount;
        var staged = new float[Stage * d];
        long rows = 0;

        // Reading (this thread) overlaps with consuming the previous block (a worker), in order.
        var blocks = Enumerable.Range(0, 3).Select(_ => new RowBlock(d, capacity)).ToArray();
        BlockPipeline.Run(blocks, block =>
        {
            block.Rows = 0;
            block.FirstRow = rows;
            int stagedRows = 0;
            void Transpose()
            {
                int r0 = block.Rows - stagedRows;
                for (int j = 0; j < d; j++)
                {
                    int offset = j * capacity + r0;
                    for (int t = 0; t < stagedRows; t++)
                        block.Values[offset + t] = staged[t * d + j];
                }
                stagedRows = 0;
            }

            while (block.Rows < capacity)
            {
                if (!cursor.MoveNext())
                {
                    Transpose();
                    return (block.Rows > 0, false);
                }
                var values = read();
                if (NonFinite.First(values) is int j)
                    throw NotFinite(column, j, values[j], cursor.Position, componentName);
                values.CopyTo(staged.AsSpan(stagedRows * d, d));
                int r = block.Rows;
                if (labelGetter != null)
                    block.Labels[r] = labelGetter(cursor.Position);
                if (targetGetter != null)
                    block.Targets[r] = targetGetter(cursor.Position);
                block.Rows = r + 1;
                rows++;
                if (++stagedRows == Stage)
                    Transpose();
            }
            Transpose();
            return (true, true);
        }, consume);
        return rows;
    }

    private static ArgumentOutOfRangeException NotFinite(SlotColumn column, int slot, float value, long row, string componentName) =>
        MlxError.BadValue(column.Where(slot, row), value,
            float.IsNaN(value) ? $"{componentName} needs complete rows but the value is missing (NaN)" : $"{componentName} needs finite values",
            float.IsNaN(value)
                ? "Impute missing values first (mlContext.Transforms.ReplaceMissingValues) or filter those rows (mlContext.Data.FilterRowsByMissingValues)."
                : "Remove or replace infinite values first (e.g. mlContext.Data.FilterRowsByColumn).");
}
