using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Core.Batching;

/// <summary>
/// Holds one pass-through column's values for the rows of a batch: the batching cursor reads rows
/// ahead of its consumer, so the values of each active source column are kept until handed out.
/// </summary>
internal abstract class ColumnBuffer
{
    /// <summary>Keeps the source row's current value at batch position <paramref name="index"/>.</summary>
    public abstract void Capture(int index);

    /// <summary>A getter that returns the value kept at the position <paramref name="current"/> gives.</summary>
    public abstract Delegate Getter(Func<int> current);

    /// <summary>Creates the buffer for a column of any ML.NET type (scalars, vectors, text, images...).</summary>
    public static ColumnBuffer Create(DataViewRow source, DataViewSchema.Column column, int capacity)
    {
        var type = column.Type is VectorDataViewType vector
            ? typeof(VectorBuffer<>).MakeGenericType(vector.ItemType.RawType)
            : typeof(ValueBuffer<>).MakeGenericType(column.Type.RawType);
        return (ColumnBuffer)Activator.CreateInstance(type, source, column, capacity)!;
    }

    /// <summary>Scalars and immutable or reference values (numbers, text, keys, images): kept as they are.</summary>
    private sealed class ValueBuffer<T> : ColumnBuffer
    {
        private readonly ValueGetter<T> _source;
        private readonly T[] _values;

        public ValueBuffer(DataViewRow source, DataViewSchema.Column column, int capacity)
        {
            _source = source.GetGetter<T>(column);
            _values = new T[capacity];
        }

        public override void Capture(int index) => _source(ref _values[index]);

        public override Delegate Getter(Func<int> current) => (ValueGetter<T>)((ref T value) => value = _values[current()]);
    }

    /// <summary>Vectors: each position keeps its own buffers; the consumer gets a copy.</summary>
    private sealed class VectorBuffer<T> : ColumnBuffer
    {
        private readonly ValueGetter<VBuffer<T>> _source;
        private readonly VBuffer<T>[] _values;

        public VectorBuffer(DataViewRow source, DataViewSchema.Column column, int capacity)
        {
            _source = source.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
        }

        public override void Capture(int index) => _source(ref _values[index]);

        public override Delegate Getter(Func<int> current) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[current()].CopyTo(ref value));
    }
}
