using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.Workflow;

/// <summary>
/// A label of several outputs per row — several scalar columns (the CLI's <c>--label grain,corn</c>) or one known-size
/// vector of numbers or Booleans — read once into a row-major array; a row with any output missing (NaN) has no label.
/// </summary>
internal sealed class LabelVectors : ILabelData
{
    private LabelVectors(IReadOnlyList<string> columns, IReadOnlyList<string> names, float[] values)
    {
        Columns = columns;
        Names = names;
        Values = values;
    }

    /// <summary>The source columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>One name per output (the column names, or the vector's slot names).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Outputs per row.</summary>
    public int Width => Names.Count;

    /// <summary>Row-major values: row r's outputs at [r × Width, (r + 1) × Width).</summary>
    public float[] Values { get; }

    public string ColumnName => string.Join(",", Columns);

    public int Rows => Values.Length / Width;

    public bool IsMissing(int row)
    {
        for (int j = 0; j < Width; j++)
            if (float.IsNaN(Values[row * Width + j]))
                return true;
        return false;
    }

    public string Text(int row) => string.Join(",", Values.AsSpan(row * Width, Width).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Whether every present value is 0 or 1 (a multilabel target).</summary>
    public bool IsZeroOne => Values.All(v => float.IsNaN(v) || v == 0 || v == 1);

    public static LabelVectors Read(IDataView data, IReadOnlyList<string> columnNames)
    {
        var available = data.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        var columns = columnNames.Select(n => data.Schema.GetColumnOrNull(n) ?? throw MlxError.MissingColumn(n, available, "label")).ToArray();
        if (columns.Length == 1 && columns[0].Type is VectorDataViewType { IsKnownSize: true } vector && (vector.ItemType is NumberDataViewType || vector.ItemType is BooleanDataViewType))
            return ReadVector(data, columns[0], vector);
        foreach (var c in columns)
            if (!LabelReaders.CanRead(c.Type) || c.Type is KeyDataViewType)
                throw MlxError.WrongColumnType(c.Name, "a number or Boolean per row (one output of a multilabel or vector label)", c.Type.ToString() ?? "",
                    "Code each label of a multilabel task as 0/1 (or true/false) in its own column.");
        var values = new List<float>();
        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => LabelReaders.Number(cursor, c)).ToArray();
        while (cursor.MoveNext())
            foreach (var read in readers)
                values.Add((float)read());
        return new LabelVectors(columnNames, columnNames, values.ToArray());
    }

    private static LabelVectors ReadVector(IDataView data, DataViewSchema.Column column, VectorDataViewType type)
    {
        int width = type.Size;
        var names = Enumerable.Range(0, width).Select(i => $"{column.Name}[{i}]").ToArray();
        if (column.HasSlotNames(width))
        {
            var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
            column.GetSlotNames(ref slotNames);
            var dense = slotNames.DenseValues().Select(n => n.ToString()).ToArray();
            for (int i = 0; i < width; i++)
                if (dense[i].Length > 0)
                    names[i] = dense[i];
        }
        var values = new List<float>();
        using var cursor = data.GetRowCursor(new[] { column });
        if (type.ItemType is BooleanDataViewType)
        {
            var get = cursor.GetGetter<VBuffer<bool>>(column);
            var buffer = default(VBuffer<bool>);
            while (cursor.MoveNext())
            {
                get(ref buffer);
                values.AddRange(buffer.DenseValues().Select(b => b ? 1f : 0f));
            }
        }
        else
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            if (type.ItemType.RawType != typeof(float))
                throw MlxError.WrongColumnType(column.Name, "a vector of Single or Boolean", type.ToString(), "Convert the label with mlContext.Transforms.Conversion.ConvertType(..., DataKind.Single).");
            while (cursor.MoveNext())
            {
                get(ref buffer);
                values.AddRange(buffer.DenseValues());
            }
        }
        return new LabelVectors([column.Name], names, values.ToArray());
    }
}
