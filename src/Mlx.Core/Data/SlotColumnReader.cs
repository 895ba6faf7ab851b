using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Data;

/// <summary>
/// Streams a <see cref="SlotColumn"/> out of an <see cref="IDataView"/> in one cursor pass, with no
/// per-row allocation, into one <see cref="SlotSample"/> per slot. Rows are gathered into column-major
/// blocks and each slot of a block is reduced with SIMD (extremes, finiteness, copy).
/// </summary>
public static class SlotColumnReader
{
    private const int BlockRows = 512;

    /// <summary>
    /// Reads every row of <paramref name="column"/>. NaN values are counted as missing and skipped;
    /// infinite values throw, naming the column, slot and row. Sparse vectors are densified (implicit zeros are values).
    /// </summary>
    /// <param name="data">The data to read.</param>
    /// <param name="column">The column, resolved against <paramref name="data"/>'s schema.</param>
    /// <param name="componentName">The component fitting, for messages (e.g. "NormalizeBoxCox").</param>
    /// <param name="keepValues">Store every value (false: only counts and extremes, for fits that need no more).</param>
    public static SlotSample[] ReadAll(IDataView data, SlotColumn column, string componentName, bool keepValues = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(column);
        int d = column.SlotCount;
        var samples = new SlotSample[d];
        for (int j = 0; j < d; j++)
            samples[j] = new SlotSample(keepValues);
        if (data.GetRowCount() is long rows)
        {
            foreach (var s in samples)
                s.Reserve(rows);
        }

        var schemaColumn = data.Schema[column.Index];
        using var cursor = data.GetRowCursor(new[] { schemaColumn });
        var block = new float[d * BlockRows];
        int filled = 0;
        long firstRow = 0;
        void Flush()
        {
            for (int j = 0; j < d; j++)
                AddBlock(samples[j], block.AsSpan(j * BlockRows, filled), firstRow, column, j, componentName);
            firstRow += filled;
            filled = 0;
        }

        var read = DenseRowReader.Create<float>(cursor, schemaColumn, column.IsVector, d);
        while (cursor.MoveNext())
        {
            var values = read();
            for (int j = 0; j < d; j++)
                block[j * BlockRows + filled] = values[j];
            if (++filled == BlockRows)
                Flush();
        }
        if (filled > 0)
            Flush();
        return samples;
    }

    private static void AddBlock(SlotSample sample, ReadOnlySpan<float> values, long firstRow, SlotColumn column, int slot, string componentName)
    {
        // Fast path: a finite sum means no NaN and no infinity in the block.
        if (float.IsFinite(TensorPrimitives.Sum(values)))
        {
            sample.AddFinite(values, firstRow);
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (float.IsInfinity(v))
            {
                throw MlxError.BadValue(column.Where(slot, firstRow + i), v, $"{componentName} needs finite values",
                    "Remove or replace infinite values before this transform (e.g. mlContext.Data.FilterRowsByColumn, or map them to NaN, which is treated as missing).");
            }
            sample.Add(v, firstRow + i);
        }
    }
}
