using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering.Selection.Filter;

/// <summary>
/// Per class and slot: row count, sum and sum of squares of the values (shifted by the first row, so large
/// offsets keep their precision), from one streaming pass that adds each row to its class's sums with SIMD.
/// Memory classes × slots. Also tracks each slot's minimum (for the chi-square check).
/// </summary>
internal sealed class ClassSums
{
    private readonly int _d;
    private readonly bool _squares;
    private readonly List<double[]> _sums = new(), _squareSums = new();
    private readonly List<long> _counts = new();
    private double[] _shift = [];

    private ClassSums(int dimension, bool squares)
    {
        _d = dimension;
        _squares = squares;
        Min = Enumerable.Repeat(double.PositiveInfinity, dimension).ToArray();
    }

    /// <summary>The smallest value of each slot.</summary>
    public double[] Min { get; }

    /// <summary>Rows read.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// One pass over the feature column and the class label. Per row: widen to double, running element-wise
    /// minimum, subtract the shift, add into the class's sums (SIMD). NaN or infinite values surface in the sums;
    /// only then a second pass finds the first one to name its slot and row.
    /// </summary>
    public static ClassSums Read(IDataView input, SlotColumn column, ClassLabelColumn label, bool squares, string component)
    {
        var sums = new ClassSums(column.SlotCount, squares);
        var features = input.Schema[column.Index];
        using (var cursor = input.GetRowCursor(new[] { features, input.Schema[label.Index] }))
        {
            var read = DenseRowReader.Create<float>(cursor, features, column.IsVector, column.SlotCount);
            var classOf = label.MakeGetter(cursor);
            var row = new double[column.SlotCount];
            var min = Enumerable.Repeat(float.PositiveInfinity, column.SlotCount).ToArray();
            while (cursor.MoveNext())
            {
                if (squares)
                {
                    TensorPrimitives.ConvertChecked<float, double>(read(), row);
                    sums.Add(row, classOf(cursor.Position));
                }
                else
                {
                    sums.AddPlain(read(), classOf(cursor.Position), min);
                }
            }
            if (!squares)
                TensorPrimitives.ConvertChecked<float, double>(min, sums.Min);
        }
        if (sums._sums.Any(s => !double.IsFinite(TensorPrimitives.Sum<double>(s))) || !double.IsFinite(TensorPrimitives.Sum<double>(sums.Min)))
            throw FindNotFinite(input, column, component);
        return sums;
    }

    /// <summary>The first row at which slot <paramref name="slot"/> holds its minimum (a second pass, for messages).</summary>
    public static long RowOfMinimum(IDataView input, SlotColumn column, int slot, double minimum)
    {
        var features = input.Schema[column.Index];
        using var cursor = input.GetRowCursor(new[] { features });
        var read = DenseRowReader.Create<float>(cursor, features, column.IsVector, column.SlotCount);
        while (cursor.MoveNext())
        {
            if (read()[slot] == minimum)
                return cursor.Position;
        }
        return -1;
    }

    /// <summary>
    /// Chi-square's plain sums: one fused SIMD pass per row (widen 8 floats, add into the class's double sums,
    /// running float minimum) instead of three array passes: the fit's cost is mostly this loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddPlain(ReadOnlySpan<float> row, int code, Span<float> min)
    {
        while (_counts.Count <= code)
        {
            _sums.Add(new double[_d]);
            _squareSums.Add([]);
            _counts.Add(0);
        }
        if (Rows == 0)
            _shift = new double[_d];
        var sums = _sums[code].AsSpan();
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float x = ref MemoryMarshal.GetReference(row);
            ref float m = ref MemoryMarshal.GetReference(min);
            ref double s = ref MemoryMarshal.GetReference(sums);
            for (; j <= row.Length - 8; j += 8)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)j);
                Vector256.Min(v, Vector256.LoadUnsafe(ref m, (nuint)j)).StoreUnsafe(ref m, (nuint)j);
                var (lower, upper) = Vector256.Widen(v);
                (Vector256.LoadUnsafe(ref s, (nuint)j) + lower).StoreUnsafe(ref s, (nuint)j);
                (Vector256.LoadUnsafe(ref s, (nuint)(j + 4)) + upper).StoreUnsafe(ref s, (nuint)(j + 4));
            }
        }
        for (; j < row.Length; j++)
        {
            min[j] = Math.Min(min[j], row[j]);
            sums[j] += row[j];
        }
        _counts[code]++;
        Rows++;
    }

    private void Add(Span<double> row, int code)
    {
        // ANOVA's sums of squares need the shift against cancellation; chi-square's plain sums do not.
        if (Rows == 0)
            _shift = _squares ? row.ToArray() : new double[_d];
        while (_counts.Count <= code)
        {
            _sums.Add(new double[_d]);
            _squareSums.Add(_squares ? new double[_d] : []);
            _counts.Add(0);
        }
        TensorPrimitives.Min(Min, row, Min);
        if (_squares)
        {
            TensorPrimitives.Subtract(row, _shift, row);
            TensorPrimitives.FusedMultiplyAdd(row, row, _squareSums[code], _squareSums[code]);
        }
        TensorPrimitives.Add(_sums[code], row, _sums[code]);
        _counts[code]++;
        Rows++;
    }

    /// <summary>Counts, raw (unshifted) sums and shifted statistics in class order.</summary>
    public (long[] Counts, double[][] Sums, double[][] ShiftedSums, double[][] ShiftedSquares) InClassOrder(int[] classOf)
    {
        int k = _counts.Count;
        var counts = new long[k];
        var sums = new double[k][];
        var shiftedSums = new double[k][];
        var squares = new double[k][];
        for (int code = 0; code < k; code++)
        {
            int c = classOf[code];
            counts[c] = _counts[code];
            shiftedSums[c] = _sums[code];
            squares[c] = _squareSums[code];
            sums[c] = _sums[code].Select((s, j) => s + _counts[code] * _shift[j]).ToArray();
        }
        return (counts, sums, shiftedSums, squares);
    }

    private static ArgumentOutOfRangeException FindNotFinite(IDataView input, SlotColumn column, string component)
    {
        var features = input.Schema[column.Index];
        using var cursor = input.GetRowCursor(new[] { features });
        var read = DenseRowReader.Create<float>(cursor, features, column.IsVector, column.SlotCount);
        while (cursor.MoveNext())
        {
            var values = read();
            for (int j = 0; j < values.Length; j++)
            {
                float v = values[j];
                if (float.IsFinite(v))
                    continue;
                return MlxError.BadValue(column.Where(j, cursor.Position), v,
                    float.IsNaN(v) ? $"{component} needs complete rows but the value is missing (NaN)" : $"{component} needs finite values",
                    float.IsNaN(v)
                        ? "Impute missing values first (mlContext.Transforms.ReplaceMissingValues) or filter those rows (mlContext.Data.FilterRowsByMissingValues)."
                        : "Remove or replace infinite values first (e.g. mlContext.Data.FilterRowsByColumn).");
            }
        }
        return new ArgumentOutOfRangeException(column.Name, $"Column '{column.Name}': the class sums overflowed (values too large for double sums). Scale the features first.");
    }
}
