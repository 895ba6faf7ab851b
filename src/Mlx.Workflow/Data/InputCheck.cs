using System.Globalization;

namespace Mlx.Workflow;

/// <summary>
/// What a saved workflow model will not understand in a CSV of new rows, column by column, before it scores them:
/// numbers ML.NET's loader cannot parse (it scores them as missing values) and categories the training rows never had
/// (coded as all zeros, like a missing value). Either way the prediction is made without the value: the caller should
/// know how often, and where.
/// </summary>
public static class InputCheck
{
    /// <summary>One column's problem: how many rows have it, the first value and the line it is on.</summary>
    /// <param name="Column">The input column.</param>
    /// <param name="Problem">"not a number" or "unseen category".</param>
    /// <param name="Count">Rows with the problem.</param>
    /// <param name="Example">The first such value.</param>
    /// <param name="Line">Its 1-based line in the file.</param>
    public sealed record ColumnIssue(string Column, string Problem, int Count, string Example, long Line)
    {
        /// <summary>The issue as a warning line.</summary>
        public override string ToString() => Problem == NotANumber
            ? $"column '{Column}': {Count:N0} value(s) are not numbers (first: '{Example}' on line {Line}); they are scored as missing"
            : $"column '{Column}': {Count:N0} value(s) are categories the model never saw in training (first: '{Example}' on line {Line}); they are scored like a missing value";
    }

    /// <summary>The problem of a field that does not parse as a number.</summary>
    public const string NotANumber = "not a number";

    /// <summary>The problem of a category absent from the training rows.</summary>
    public const string UnseenCategory = "unseen category";

    /// <summary>Checks a CSV (as <see cref="CsvDataset"/> reads it) against the model's numeric inputs and training categories.</summary>
    /// <param name="model">The saved model.</param>
    /// <param name="csv">The loaded CSV (its path and separator are read again, field by field).</param>
    public static IReadOnlyList<ColumnIssue> Check(WorkflowModel model, CsvDataset csv)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(csv);
        var levels = model.Info.CategoryLevels ?? new Dictionary<string, IReadOnlyList<string>>();
        var numeric = model.Info.FeatureColumns.Where(c => model.InputSchema.GetColumnOrNull(c)?.Type.RawType == typeof(float)).ToHashSet();
        using var reader = new StreamReader(csv.Path, detectEncodingFromByteOrderMarks: true);
        using var records = CsvRecords.Read(reader, csv.Separator, csv.Path).GetEnumerator();
        if (!records.MoveNext())
            return [];
        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        var checks = new List<(int Index, string Column, string Problem, Func<string, bool> Fails)>();
        for (int i = 0; i < header.Length; i++)
        {
            string column = header[i];
            if (numeric.Contains(column))
                checks.Add((i, column, NotANumber, field => !IsMissing(field) && !double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
            else if (levels.TryGetValue(column, out var known))
            {
                var set = known.ToHashSet(StringComparer.Ordinal);
                checks.Add((i, column, UnseenCategory, field => field.Length > 0 && !set.Contains(field)));
            }
        }
        var found = new Dictionary<string, (int Count, string Example, long Line)>();
        while (checks.Count > 0 && records.MoveNext())
        {
            var record = records.Current;
            foreach (var (index, column, _, fails) in checks)
            {
                if (index >= record.Fields.Length || !fails(record.Fields[index]))
                    continue;
                found[column] = found.TryGetValue(column, out var seen) ? seen with { Count = seen.Count + 1 } : (1, record.Fields[index], record.Line);
            }
        }
        return checks.Where(c => found.ContainsKey(c.Column))
            .Select(c => new ColumnIssue(c.Column, c.Problem, found[c.Column].Count, found[c.Column].Example, found[c.Column].Line)).ToArray();
    }

    /// <summary>Fields ML.NET's loader reads as a missing number: blank, "?" or "NaN".</summary>
    private static bool IsMissing(string field)
    {
        var text = field.AsSpan().Trim();
        return text.IsEmpty || text is "?" || text.Equals("NaN", StringComparison.OrdinalIgnoreCase);
    }
}
