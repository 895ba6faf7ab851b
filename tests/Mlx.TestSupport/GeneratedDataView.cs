using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.TestSupport;

/// <summary>
/// An <see cref="IDataView"/> of any number of rows that are computed on the fly (nothing is stored), with
/// one "Features" column of Vector&lt;Single, d&gt;: positive, skewed values that depend only on (row, slot).
/// Used to stream far more rows than memory would hold and check that transforms keep memory flat.
/// </summary>
public sealed class GeneratedDataView : IDataView
{
    private readonly long _rows;
    private readonly int _slots;

    /// <summary>Creates the view.</summary>
    public GeneratedDataView(long rows, int slots)
    {
        _rows = rows;
        _slots = slots;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, slots));
        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => _rows;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    /// <summary>The value of slot j in row i: exp of a deterministic pseudo-normal number (lognormal-like, positive).</summary>
    public static float Value(long row, int slot)
    {
        ulong h = unchecked((ulong)row * 0x9E3779B97F4A7C15UL ^ (ulong)(slot + 1) * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        double u = (h >> 11) * (1.0 / (1UL << 53));
        return (float)Math.Exp(3 * (u - 0.5) * (1 + 0.2 * slot));
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly GeneratedDataView _parent;
        private long _position = -1;

        public Cursor(GeneratedDataView parent) => _parent = parent;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext() => ++_position < _parent._rows;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, _parent._slots);
                for (int j = 0; j < _parent._slots; j++)
                    editor.Values[j] = Value(_position, j);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }
    }
}
