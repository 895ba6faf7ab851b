using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Data;

/// <summary>
/// Streams a <see cref="SlotColumn"/> out of an <see cref="IDataView"/> in one cursor pass,
/// with no per-row allocation, into one <see cref="SlotSample"/> per slot.
/// </summary>
public static class SlotColumnReader
{
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
        var samples = new SlotSample[column.SlotCount];
        for (int j = 0; j < samples.Length; j++)
            samples[j] = new SlotSample(keepValues);
        if (data.GetRowCount() is long rows)
        {
            foreach (var s in samples)
                s.Reserve(rows);
        }

        var schemaColumn = data.Schema[column.Index];
        using var cursor = data.GetRowCursor(new[] { schemaColumn });
        if (column.IsVector)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(schemaColumn);
            var buffer = default(VBuffer<float>);
            var dense = new float[column.SlotCount];
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                buffer.CopyTo(dense);
                for (int j = 0; j < dense.Length; j++)
                    Add(samples[j], dense[j], cursor.Position, column, j, componentName);
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(schemaColumn);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                Add(samples[0], value, cursor.Position, column, 0, componentName);
            }
        }
        return samples;
    }

    private static void Add(SlotSample sample, float value, long row, SlotColumn column, int slot, string componentName)
    {
        if (float.IsInfinity(value))
        {
            throw MlxError.BadValue(column.Where(slot, row), value, $"{componentName} needs finite values",
                "Remove or replace infinite values before this transform (e.g. mlContext.Data.FilterRowsByColumn, or map them to NaN, which is treated as missing).");
        }
        sample.Add(value, row);
    }
}
