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
    /// <param name="column">The column that was asked for.</param>
    /// <param name="available">The columns the data has.</param>
    /// <param name="argument">The argument or option that named the column (what the user should check).</param>
    /// <param name="data">Which data lacks it, when a component reads more than one data view.</param>
    public static ArgumentException MissingColumn(string column, IEnumerable<string> available, string argument = "inputColumnName", string? data = null) =>
        new($"Input column '{column}' was not found{(data != null ? " in " + data : "")}. Available columns: {string.Join(", ", available.Select(a => $"'{a}'"))}. " +
            $"Check the {argument} argument.", nameof(column));

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

    private const string DamagedPrefix = "The saved model is damaged: ";

    /// <summary>A saved model whose content is damaged (wrong sizes, non-finite parameters, a checksum that does not match).</summary>
    /// <param name="component">The component's loader signature or name (e.g. MlxPowerTransform).</param>
    /// <param name="entry">What was being read (e.g. "lambdas slot 3", "ONNX bytes").</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The low-level exception, if reading failed.</param>
    public static InvalidDataException DamagedModel(string component, string entry, string problem, Exception? inner = null) =>
        new($"{DamagedPrefix}component {component}, {entry}: {problem}. " +
            "Save the model again from its training pipeline (mlContext.Model.Save) or restore the file from a copy.", inner);

    /// <summary>
    /// Runs a model loader and turns the raw exceptions a damaged payload causes (end of stream, impossible sizes,
    /// out-of-range indices, allocation failures) into <see cref="DamagedModel"/>.
    /// </summary>
    public static T LoadingModel<T>(string component, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is EndOfStreamException or IndexOutOfRangeException or OverflowException or OutOfMemoryException
                                       or ArgumentException or FormatException or InvalidCastException
                                       || (e is InvalidDataException && !e.Message.StartsWith(DamagedPrefix, StringComparison.Ordinal)))
        {
            throw DamagedModel(component, "its saved state", $"reading it failed ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>
    /// Throws <see cref="DamagedModel"/> when <paramref name="payload"/> (embedded ONNX bytes, network weights) does not
    /// have the SHA-256 saved beside it: an altered payload can still parse and silently output NaN.
    /// </summary>
    public static void CheckSha256(string component, string entry, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> savedHash)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(savedHash))
            throw DamagedModel(component, entry, $"its SHA-256 is {Convert.ToHexString(hash)} but {Convert.ToHexString(savedHash)} was saved with it, so its bytes were altered");
    }

    /// <summary>Throws <see cref="DamagedModel"/> when a loaded parameter is not finite.</summary>
    public static void CheckFinite(string component, string entry, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw DamagedModel(component, $"{entry} [{i}]", $"the value is {Show(values[i])}, which training never writes");
        }
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
