using System.Reflection;
using Mlx.Core.Data;

namespace Mlx.FeatureEngineering.Tests.Projection;

/// <summary>Builds <see cref="RowBlock"/>s from float64 rows for math-level tests (no float32 rounding).</summary>
internal static class TestBlocks
{
    public static RowBlock Of(IReadOnlyList<double[]> rows, IReadOnlyList<int>? labels = null)
    {
        int d = rows[0].Length;
        var block = (RowBlock)Activator.CreateInstance(typeof(RowBlock), BindingFlags.NonPublic | BindingFlags.Instance, null, [d, rows.Count], null)!;
        for (int r = 0; r < rows.Count; r++)
        {
            for (int j = 0; j < d; j++)
                block.Values[j * rows.Count + r] = rows[r][j];
            if (labels != null)
                block.Labels[r] = labels[r];
        }
        typeof(RowBlock).GetProperty(nameof(RowBlock.Rows))!.SetValue(block, rows.Count);
        return block;
    }
}
