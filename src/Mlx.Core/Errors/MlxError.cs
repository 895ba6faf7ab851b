using System.Globalization;

namespace Mlx.Core.Errors;

/// <summary>
/// Builds the exceptions Mlx throws on bad input, so that every message has the same shape:
/// what is wrong, where (column, slot, row), and what to do about it.
/// </summary>
public static class MlxError
{
    /// <summary>Formats a value the way messages show it (invariant culture, round-trippable).</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Describes a slot of a column: <c>column 'X'</c>, <c>column 'X' slot 3</c> or <c>column 'X' slot 3 ('name')</c>.</summary>
    /// <param name="column">The column name.</param>
    /// <param name="slot">The slot, for vector columns.</param>
    /// <param name="slotName">The slot's name, when the column has slot names.</param>
    /// <param name="row">The row index (from a sequential pass over the data).</param>
    /// <param name="cursorPosition">The position of the row in the cursor that read it. ML.NET may split a
    /// pass into parallel cursors, each counting its own rows, so this is only the data's row index
    /// when the data is read sequentially (PredictionEngine, a single cursor).</param>
    public static string Where(string column, int? slot = null, string? slotName = null, long? row = null, long? cursorPosition = null)
    {
        var where = $"column '{column}'";
        if (slot is int s)
            where += string.IsNullOrEmpty(slotName) ? $" slot {s}" : $" slot {s} ('{slotName}')";
        if (row is long r)
            where += $" at row {r}";
        else if (cursorPosition is long p)
            where += $" (cursor position {p})";
        return where;
    }

    /// <summary>The input column does not exist in the schema.</summary>
    public static ArgumentException MissingColumn(string column, IEnumerable<string> available) =>
        new($"Input column '{column}' was not found. Available columns: {string.Join(", ", available.Select(a => $"'{a}'"))}. " +
            "Check the inputColumnName argument.", nameof(column));

    /// <summary>The input column has a type the component cannot use.</summary>
    public static ArgumentException WrongColumnType(string column, string expected, string actual, string fix) =>
        new($"Column '{column}' has type {actual}, but {expected} is required. {fix}", nameof(column));

    /// <summary>A value is outside what the component accepts.</summary>
    public static ArgumentOutOfRangeException BadValue(string where, double value, string problem, string fix) =>
        new(where, value, $"{Capitalize(where)}: {problem} (found {Show(value)}). {fix}");

    /// <summary>A text or category value is outside what the component accepts.</summary>
    public static ArgumentOutOfRangeException BadText(string where, string value, string problem, string fix) =>
        new(where, value, $"{Capitalize(where)}: {problem} (found '{value}'). {fix}");

    /// <summary>The data cannot be fitted (empty, constant, too few values...).</summary>
    public static InvalidOperationException CannotFit(string where, string problem, string fix) =>
        new($"{Capitalize(where)}: {problem}. {fix}");

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
