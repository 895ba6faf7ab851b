using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mlx.Estimators;

/// <summary>
/// Feature rows held as their non-zero values (compressed sparse rows): row r's values are
/// <see cref="Values"/>[<see cref="RowStarts"/>[r] .. <see cref="RowStarts"/>[r + 1]] at the slots in <see cref="Indices"/>.
/// A 25,000 × 10,000 bag of words with ~150 words a row takes 30 MB instead of 1 GB.
/// </summary>
internal sealed class SparseRows : IDisposable
{
    private long[] _rowStarts;
    private int[] _indices;
    private float[] _values;

    /// <summary>
    /// Rows at most this fraction non-zero are worth holding sparse (<see cref="SparseInput.Auto"/> in training, and
    /// batches in scoring): below it the first layer's cost follows the non-zeros.
    /// </summary>
    public const double AutoDensity = 0.05;

    /// <summary>
    /// An empty set of rows of <paramref name="dimension"/> features, with room for about <paramref name="rows"/> ×
    /// <paramref name="perRow"/> values. The storage is rented from the shared array pools and returned by
    /// <see cref="Dispose"/>: fresh 33 MB arrays for 25,000 bag-of-words rows are mapped page by page on first write
    /// (a 22 ms read, 8.5 ms in reused memory; measured), and trainings often follow one another (cross-validation,
    /// several models on the same data).
    /// </summary>
    public SparseRows(int dimension, long rows, int perRow)
    {
        Dimension = dimension;
        _rowStarts = ArrayPool<long>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(2, rows + 1)));
        _rowStarts[0] = 0;
        int capacity = (int)Math.Min(Array.MaxLength, Math.Max(16, rows * (long)perRow));
        _indices = ArrayPool<int>.Shared.Rent(capacity);
        _values = ArrayPool<float>.Shared.Rent(capacity);
    }

    /// <summary>
    /// Returns the storage to the pools; the rows must not be used afterwards. (Scoring batches are never disposed: a
    /// mapper may be asked for getters again after its disposer ran, and undisposed rows are simply collected.)
    /// </summary>
    public void Dispose()
    {
        Return(ref _rowStarts);
        Return(ref _indices);
        Return(ref _values);
        Rows = 0;
    }

    public int Dimension { get; }

    public int Rows { get; private set; }

    public long NonZeros => _rowStarts[Rows];

    public ReadOnlySpan<long> RowStarts => _rowStarts.AsSpan(0, Rows + 1);

    public ReadOnlySpan<int> Indices => _indices.AsSpan(0, (int)NonZeros);

    public ReadOnlySpan<float> Values => _values.AsSpan(0, (int)NonZeros);

    /// <summary>Removes all rows, keeping the storage (for reuse batch after batch).</summary>
    public void Clear() => Rows = 0;

    /// <summary>Where row <paramref name="row"/>'s slots and values are in <see cref="Indices"/> and <see cref="Values"/>.</summary>
    public (int Start, int Length) Row(int row)
    {
        long start = _rowStarts[row];
        return ((int)start, (int)(_rowStarts[row + 1] - start));
    }

    /// <summary>Appends a row given by its non-zero slots (ascending) and values.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<int> slots, ReadOnlySpan<float> values)
    {
        int at = Reserve(slots.Length);
        slots.CopyTo(_indices.AsSpan(at));
        values.CopyTo(_values.AsSpan(at));
        Commit(slots.Length);
    }

    /// <summary>
    /// Appends a dense row, keeping its non-zero values. Blocks of 32 values whose bits are all zero are skipped with
    /// one test; in the others a bit mask of the non-zeros (-0 counts as zero, NaN as non-zero) is walked bit by bit,
    /// so the cost is one test per 32 values plus one step per non-zero (25,000 × 10,000 bag-of-words rows with 150
    /// non-zeros each: the data path 0.20 → 0.17 s, of which ML.NET's cursor alone is 0.065 s; measured).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AddDense(ReadOnlySpan<float> row)
    {
        int at = Reserve(row.Length), next = at, j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float first = ref MemoryMarshal.GetReference(row);
            for (; j <= row.Length - 32; j += 32)
            {
                var a = Vector256.LoadUnsafe(ref first, (nuint)j);
                var b = Vector256.LoadUnsafe(ref first, (nuint)(j + 8));
                var c = Vector256.LoadUnsafe(ref first, (nuint)(j + 16));
                var d = Vector256.LoadUnsafe(ref first, (nuint)(j + 24));
                if (((a.AsUInt32() | b.AsUInt32()) | (c.AsUInt32() | d.AsUInt32())) == Vector256<uint>.Zero)
                    continue;
                uint zeros = Vector256.Equals(a, Vector256<float>.Zero).ExtractMostSignificantBits()
                    | Vector256.Equals(b, Vector256<float>.Zero).ExtractMostSignificantBits() << 8
                    | Vector256.Equals(c, Vector256<float>.Zero).ExtractMostSignificantBits() << 16
                    | Vector256.Equals(d, Vector256<float>.Zero).ExtractMostSignificantBits() << 24;
                for (uint kept = ~zeros; kept != 0; kept &= kept - 1)
                {
                    int slot = j + BitOperations.TrailingZeroCount(kept);
                    _indices[next] = slot;
                    _values[next++] = row[slot];
                }
            }
        }
        next = Keep(row, j, row.Length, next);
        Commit(next - at);
    }

    /// <summary>Stores the non-zeros of row[from..to] from position <paramref name="next"/>; returns the next free position.</summary>
    private int Keep(ReadOnlySpan<float> row, int from, int to, int next)
    {
        for (int slot = from; slot < to; slot++)
        {
            if (row[slot] != 0)
            {
                _indices[next] = slot;
                _values[next++] = row[slot];
            }
        }
        return next;
    }

    /// <summary>Room for <paramref name="count"/> more values; returns where the next row starts.</summary>
    private int Reserve(int count)
    {
        long start = _rowStarts[Rows];
        if (start + count > Array.MaxLength)
            throw new InvalidOperationException($"More than {Array.MaxLength:N0} non-zero features do not fit in memory as sparse rows: set SparseInput = Dense or StreamFromDataView.");
        if (start + count > _indices.Length)
        {
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max(start + count, 2L * _indices.Length));
            Grow(ref _indices, capacity, (int)start);
            Grow(ref _values, capacity, (int)start);
        }
        if (Rows + 2 > _rowStarts.Length)
            Grow(ref _rowStarts, (int)Math.Min(Array.MaxLength, 2L * _rowStarts.Length), Rows + 1);
        return (int)start;
    }

    /// <summary>A larger pooled array holding the first <paramref name="used"/> values; the old one goes back to the pool.</summary>
    private static void Grow<T>(ref T[] array, int capacity, int used)
    {
        if (array.Length == 0)
            throw new ObjectDisposedException(nameof(SparseRows));
        var larger = ArrayPool<T>.Shared.Rent(capacity);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        array = larger;
    }

    private static void Return<T>(ref T[] array)
    {
        if (array.Length > 0)
            ArrayPool<T>.Shared.Return(array);
        array = Array.Empty<T>();
    }

    private void Commit(int count)
    {
        _rowStarts[Rows + 1] = _rowStarts[Rows] + count;
        Rows++;
    }

    /// <summary>The fraction of non-zero values among the first <paramref name="rows"/> rows of a data view's feature column.</summary>
    public static double Density(Microsoft.ML.IDataView data, Microsoft.ML.DataViewSchema.Column column, int rows)
    {
        if (column.Type is not Microsoft.ML.Data.VectorDataViewType { Size: > 0 } vector)
            return 1;
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(column);
        var buffer = default(Microsoft.ML.Data.VBuffer<float>);
        long nonZeros = 0, read = 0;
        while (read < rows && cursor.MoveNext())
        {
            getter(ref buffer);
            var values = buffer.GetValues();
            nonZeros += values.Length - Zeros(values);
            read++;
        }
        return read == 0 ? 1 : nonZeros / ((double)read * vector.Size);
    }

    private static int Zeros(ReadOnlySpan<float> values)
    {
        int count = 0;
        foreach (float v in values)
            count += v == 0 ? 1 : 0;
        return count;
    }
}
