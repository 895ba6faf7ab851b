using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;

namespace Mlx.Workflow;

/// <summary>
/// Feature validity: finds columns that are the label under another name (wine's <c>target_name</c> beside
/// <c>target</c>) or a coarser code of it (Reuters' <c>topic</c> beside the <c>grain</c> and <c>corn</c> labels): on the
/// training rows each label value goes with one value of theirs, so the label determines them. Such a column gives a
/// validation score production never sees, so it is left out.
/// </summary>
internal static class LabelCopyCheck
{
    /// <param name="columns">The inspected columns.</param>
    /// <param name="data">The data.</param>
    /// <param name="labels">The label.</param>
    /// <param name="useRow">The training rows.</param>
    /// <param name="quantity">A regression label: only a column equal to it counts (a label of distinct numbers "determines" any column).</param>
    public static IReadOnlyList<ColumnSummary> Apply(IReadOnlyList<ColumnSummary> columns, IDataView data, ILabelData labels, bool[] useRow, bool quantity)
    {
        var suspects = columns.Where(c => c.Kind is ColumnKind.Categorical or ColumnKind.Numeric or ColumnKind.Identifier
            && (data.Schema[c.Name].Type is TextDataViewType || LabelReaders.CanRead(data.Schema[c.Name].Type))).ToArray();
        if (suspects.Length == 0)
            return columns;
        var backward = suspects.Select(_ => new Dictionary<string, string>()).ToArray();
        var copy = suspects.Select(_ => true).ToArray();
        var schemaColumns = suspects.Select(c => data.Schema[c.Name]).ToArray();
        using (var cursor = data.GetRowCursor(schemaColumns))
        {
            var readers = schemaColumns.Select(c => Reader(cursor, c)).ToArray();
            while (cursor.MoveNext())
            {
                int row = (int)cursor.Position;
                if (row >= useRow.Length || !useRow[row] || labels.IsMissing(row))
                    continue;
                var label = labels.Text(row);
                for (int i = 0; i < suspects.Length; i++)
                {
                    if (!copy[i])
                        continue;
                    var value = readers[i]();
                    copy[i] = quantity ? value == label : !backward[i].TryGetValue(label, out var v) || v == value;
                    backward[i][label] = value;
                }
            }
        }
        var copies = suspects.Where((_, i) => copy[i]).Select(c => c.Name).ToHashSet();
        return columns.Select(c => copies.Contains(c.Name)
            ? c with { Kind = ColumnKind.LabelCopy, Reason = $"the label '{labels.ColumnName}' determines it (each label value goes with one of its values): a copy of the label (leakage)" }
            : c).ToArray();
    }

    private static Func<string> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is TextDataViewType)
        {
            var get = row.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            return () =>
            {
                get(ref value);
                return value.ToString().Trim();
            };
        }
        var number = LabelReaders.Number(row, column);
        return () => LabelValues.Format(number());
    }
}
