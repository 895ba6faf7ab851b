using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.Workflow;

/// <summary>
/// The label column read once, row by row (the workflow's data are small enough to hold one number or string per
/// row): numbers, Booleans and keys as doubles, text as strings; missing labels (NaN, empty text) are rows the
/// workflow leaves out and reports.
/// </summary>
internal sealed class LabelValues : ILabelData
{
    private LabelValues(string columnName, bool numeric, double[] numbers, string?[] texts)
    {
        ColumnName = columnName;
        IsNumeric = numeric;
        Numbers = numbers;
        Texts = texts;
    }

    /// <summary>The label column.</summary>
    public string ColumnName { get; }

    /// <summary>True for number, Boolean and key labels (<see cref="Numbers"/>), false for text (<see cref="Texts"/>).</summary>
    public bool IsNumeric { get; }

    /// <summary>Each row's number (NaN when missing); empty for text labels.</summary>
    public double[] Numbers { get; }

    /// <summary>Each row's text (null when missing); empty for numeric labels.</summary>
    public string?[] Texts { get; }

    /// <summary>Rows read.</summary>
    public int Rows => IsNumeric ? Numbers.Length : Texts.Length;

    /// <summary>Whether the row has no label.</summary>
    public bool IsMissing(int row) => IsNumeric ? double.IsNaN(Numbers[row]) : string.IsNullOrWhiteSpace(Texts[row]);

    /// <summary>The row's label as text (numbers in the invariant round-trip format): the class name for classification.</summary>
    public string Text(int row) => IsNumeric ? Format(Numbers[row]) : Texts[row]!;

    /// <summary>A number as a class name.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads the column; refuses types that cannot be a label.</summary>
    public static LabelValues Read(IDataView data, string columnName)
    {
        var column = data.Schema.GetColumnOrNull(columnName)
            ?? throw MlxError.MissingColumn(columnName, data.Schema.Where(c => !c.IsHidden).Select(c => c.Name), "label");
        var type = column.Type;
        using var cursor = data.GetRowCursor(new[] { column });
        if (type is TextDataViewType)
        {
            var texts = new List<string?>();
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext())
            {
                getter(ref value);
                var text = value.ToString().Trim();
                texts.Add(text.Length == 0 ? null : text);
            }
            return new LabelValues(columnName, false, [], texts.ToArray());
        }
        if (!LabelReaders.CanRead(type))
            throw MlxError.WrongColumnType(columnName, "a scalar number, Boolean, key or text label", type.ToString() ?? "",
                "Pass one label column with one value per row (for several labels, train Mlx's MultilabelNeuralNetwork or VectorNeuralNetwork directly).");
        var raw = LabelReaders.Number(cursor, column);
        // Key index 0 is a missing key.
        Func<double> read = type is KeyDataViewType ? () => raw() is var k && k == 0 ? double.NaN : k : raw;
        var numbers = new List<double>();
        while (cursor.MoveNext())
            numbers.Add(read());
        return new LabelValues(columnName, true, numbers.ToArray(), []);
    }
}
