using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Workflow;

/// <summary>
/// Some rows of a source, chosen by position (the training rows of a fold, the test split), plus the label as the
/// trainers want it — Boolean, a key with the class names, Single, or a vector of Booleans or Singles with slot names —
/// written from an array by position. The
/// source must return the same rows in the same order on every pass (a cache or a text loader); the label
/// column is training-time only, so it never becomes part of a saved model.
/// </summary>
internal sealed class RowSubsetView : IDataView
{
    private readonly IDataView _source;
    private readonly int[] _rows;
    private readonly float[] _labels;
    private readonly DataViewType _labelType;
    private readonly DataViewSchema.Column[] _sourceColumns;

    /// <param name="source">The positional source.</param>
    /// <param name="rows">Positions to keep, ascending.</param>
    /// <param name="labelName">The label column to add.</param>
    /// <param name="labelType">Boolean, Single, a UInt32 key with KeyValues, or a known-size vector of Boolean or Single.</param>
    /// <param name="labels">Each source row's label: 0/1, the class index, or the number; for a vector, row-major.</param>
    /// <param name="classNames">Key values of a key label, or slot names of a vector label.</param>
    public RowSubsetView(IDataView source, int[] rows, string labelName, DataViewType labelType, float[] labels, IReadOnlyList<string>? classNames = null)
    {
        _source = source;
        _rows = rows;
        _labels = labels;
        _labelType = labelType;
        var builder = new DataViewSchema.Builder();
        // Visible source columns other than one named like the label, in order; the label comes last.
        _sourceColumns = source.Schema.Where(c => !c.IsHidden && c.Name != labelName).ToArray();
        foreach (var column in _sourceColumns)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        var annotations = new DataViewSchema.Annotations.Builder();
        if (classNames is not null)
        {
            var names = classNames.Select(n => n.AsMemory()).ToArray();
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> getNames = (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone());
            if (labelType is KeyDataViewType)
                annotations.AddKeyValues(names.Length, TextDataViewType.Instance, getNames);
            else if (labelType is VectorDataViewType)
                annotations.AddSlotNames(names.Length, getNames);
        }
        builder.AddColumn(labelName, labelType, annotations.ToAnnotations());
        Schema = builder.ToSchema();
        for (int i = 1; i < rows.Length; i++)
            if (rows[i] <= rows[i - 1])
                throw new ArgumentException("Rows must be strictly increasing positions.", nameof(rows));
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var sourceColumns = needed.Where(c => c.Index < _sourceColumns.Length).Select(c => _sourceColumns[c.Index]).ToArray();
        return new Cursor(this, _source.GetRowCursor(sourceColumns), needed.Any(c => c.Index == _sourceColumns.Length));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded)];

    private sealed class Cursor(RowSubsetView parent, DataViewRowCursor inner, bool labelActive) : DataViewRowCursor
    {
        private int _next = -1;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _next;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_next + 1 >= parent._rows.Length)
                return false;
            int target = parent._rows[_next + 1];
            while (inner.Position < target)
            {
                if (!inner.MoveNext())
                    throw new InvalidOperationException($"The data returned fewer rows than when the workflow split them (row {target} is gone): it must return the same rows on every pass.");
            }
            _next++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == parent._sourceColumns.Length ? labelActive : inner.IsColumnActive(parent._sourceColumns[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < parent._sourceColumns.Length)
                return inner.GetGetter<TValue>(parent._sourceColumns[column.Index]);
            int width = parent._labelType.GetValueCount();
            Delegate getter = parent._labelType switch
            {
                VectorDataViewType { ItemType: BooleanDataViewType } => (ValueGetter<VBuffer<bool>>)((ref VBuffer<bool> v) =>
                {
                    var editor = VBufferEditor.Create(ref v, width);
                    for (int j = 0; j < width; j++)
                        editor.Values[j] = parent._labels[parent._rows[_next] * width + j] != 0;
                    v = editor.Commit();
                }),
                VectorDataViewType => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var editor = VBufferEditor.Create(ref v, width);
                    parent._labels.AsSpan(parent._rows[_next] * width, width).CopyTo(editor.Values);
                    v = editor.Commit();
                }),
                BooleanDataViewType => (ValueGetter<bool>)((ref bool v) => v = parent._labels[parent._rows[_next]] != 0),
                KeyDataViewType => (ValueGetter<uint>)((ref uint v) => v = (uint)parent._labels[parent._rows[_next]] + 1),
                _ => (ValueGetter<float>)((ref float v) => v = parent._labels[parent._rows[_next]]),
            };
            return (ValueGetter<TValue>)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_next, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
