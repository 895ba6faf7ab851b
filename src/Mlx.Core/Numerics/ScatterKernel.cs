using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Mlx.Core.Numerics;

/// <summary>
/// Σ_r a_i[r]·a_j[r] for every pair of columns of a column-major block (the block's Gram matrix, upper
/// triangle), as 4×4 register tiles: each step loads 8 vectors for 16 fused multiply-adds, where pairwise dot
/// products load 2 per 1. Tile rows run in parallel; every entry is computed by one thread in a fixed order,
/// so the result does not depend on scheduling.
/// </summary>
public static class ScatterKernel
{
    private const int Tile = 4;

    /// <summary>Adds the block's Gram matrix (upper triangle, i ≤ j) into <paramref name="upper"/> (row-major d×d).</summary>
    /// <param name="values">Column j at <c>values[j·stride .. j·stride + rows)</c>.</param>
    /// <param name="d">Columns.</param>
    /// <param name="stride">Distance between columns.</param>
    /// <param name="rows">Rows used.</param>
    /// <param name="upper">Accumulator; entries below the diagonal are not touched.</param>
    public static void AddGram(double[] values, int d, int stride, int rows, double[] upper)
    {
        int tiles = (d + Tile - 1) / Tile;
        // Small problems: the parallel overhead outweighs the work.
        if ((long)d * d * rows < 4_000_000)
        {
            for (int t = 0; t < tiles; t++)
                TileRow(values, d, stride, rows, upper, t * Tile);
            return;
        }
        Parallel.For(0, tiles, t => TileRow(values, d, stride, rows, upper, t * Tile));
    }

    private static void TileRow(double[] values, int d, int stride, int rows, double[] upper, int i0)
    {
        for (int j0 = i0; j0 < d; j0 += Tile)
        {
            if (i0 + Tile <= d && j0 + Tile <= d && Vector256.IsHardwareAccelerated)
                FullTile(values, d, stride, rows, upper, i0, j0);
            else
                EdgeTile(values, d, stride, rows, upper, i0, j0);
        }
    }

    private static void FullTile(double[] values, int d, int stride, int rows, double[] upper, int i0, int j0)
    {
        var v = values.AsSpan();
        var a0 = v.Slice(i0 * stride, rows); var a1 = v.Slice((i0 + 1) * stride, rows);
        var a2 = v.Slice((i0 + 2) * stride, rows); var a3 = v.Slice((i0 + 3) * stride, rows);
        var b0 = v.Slice(j0 * stride, rows); var b1 = v.Slice((j0 + 1) * stride, rows);
        var b2 = v.Slice((j0 + 2) * stride, rows); var b3 = v.Slice((j0 + 3) * stride, rows);
        Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<double> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<double> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector256<double> s30 = default, s31 = default, s32 = default, s33 = default;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            var x0 = Vector256.Create(a0.Slice(r, 4)); var x1 = Vector256.Create(a1.Slice(r, 4));
            var x2 = Vector256.Create(a2.Slice(r, 4)); var x3 = Vector256.Create(a3.Slice(r, 4));
            var y0 = Vector256.Create(b0.Slice(r, 4)); var y1 = Vector256.Create(b1.Slice(r, 4));
            var y2 = Vector256.Create(b2.Slice(r, 4)); var y3 = Vector256.Create(b3.Slice(r, 4));
            s00 = Vector256.FusedMultiplyAdd(x0, y0, s00); s01 = Vector256.FusedMultiplyAdd(x0, y1, s01);
            s02 = Vector256.FusedMultiplyAdd(x0, y2, s02); s03 = Vector256.FusedMultiplyAdd(x0, y3, s03);
            s10 = Vector256.FusedMultiplyAdd(x1, y0, s10); s11 = Vector256.FusedMultiplyAdd(x1, y1, s11);
            s12 = Vector256.FusedMultiplyAdd(x1, y2, s12); s13 = Vector256.FusedMultiplyAdd(x1, y3, s13);
            s20 = Vector256.FusedMultiplyAdd(x2, y0, s20); s21 = Vector256.FusedMultiplyAdd(x2, y1, s21);
            s22 = Vector256.FusedMultiplyAdd(x2, y2, s22); s23 = Vector256.FusedMultiplyAdd(x2, y3, s23);
            s30 = Vector256.FusedMultiplyAdd(x3, y0, s30); s31 = Vector256.FusedMultiplyAdd(x3, y1, s31);
            s32 = Vector256.FusedMultiplyAdd(x3, y2, s32); s33 = Vector256.FusedMultiplyAdd(x3, y3, s33);
        }
        Span<double> tile =
        [
            Vector256.Sum(s00), Vector256.Sum(s01), Vector256.Sum(s02), Vector256.Sum(s03),
            Vector256.Sum(s10), Vector256.Sum(s11), Vector256.Sum(s12), Vector256.Sum(s13),
            Vector256.Sum(s20), Vector256.Sum(s21), Vector256.Sum(s22), Vector256.Sum(s23),
            Vector256.Sum(s30), Vector256.Sum(s31), Vector256.Sum(s32), Vector256.Sum(s33),
        ];
        for (; r < rows; r++)
        {
            for (int a = 0; a < Tile; a++)
            {
                for (int b = 0; b < Tile; b++)
                    tile[a * Tile + b] += v[(i0 + a) * stride + r] * v[(j0 + b) * stride + r];
            }
        }
        for (int a = 0; a < Tile; a++)
        {
            for (int b = 0; b < Tile; b++)
            {
                if (j0 + b >= i0 + a)
                    upper[(i0 + a) * d + j0 + b] += tile[a * Tile + b];
            }
        }
    }

    private static void EdgeTile(double[] values, int d, int stride, int rows, double[] upper, int i0, int j0)
    {
        for (int i = i0; i < Math.Min(i0 + Tile, d); i++)
        {
            var ci = values.AsSpan(i * stride, rows);
            for (int j = Math.Max(j0, i); j < Math.Min(j0 + Tile, d); j++)
                upper[i * d + j] += TensorPrimitives.Dot<double>(ci, values.AsSpan(j * stride, rows));
        }
    }
}
