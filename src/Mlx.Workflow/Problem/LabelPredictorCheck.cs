using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;

namespace Mlx.Workflow;

/// <summary>
/// Feature validity, the other direction of <see cref="LabelCopyCheck"/>: a column that on its own predicts a class
/// label almost perfectly is, on real data, nearly always a column filled in once the outcome was known — the folder a
/// spam message was filed in, a "topics" field that names the topic, a status code written after the default. A model
/// that reads it scores well in validation and fails in production, so it is left out and reported.
/// Three tests, each on the training rows only:
/// <list type="bullet">
/// <item>values that stand for classes: each value's most frequent class, learnt on half the rows (a fixed hash of the
/// row), is right on the other half in at least <see cref="Purity"/> of them (and the values seen cover 90 % of those rows), where the
/// majority class alone is right on fewer than <see cref="MajorityCeiling"/>;</item>
/// <item>a column that names the class: the row's class name (three characters or more, not a number) appears in it as a
/// word in at least <see cref="NameShare"/> of the rows, and another class's name in under a tenth;</item>
/// <item>a number that separates two classes: its ROC AUC (or 1 − AUC) is at least <see cref="SeparatingAuc"/>.</item>
/// </list>
/// For a numeric label (regression), a number that is nearly the label itself: its Pearson or Spearman correlation
/// with the label is at least <see cref="NearCopyCorrelation"/> in absolute value (an uncorrected copy of a corrected
/// price, the label in other units, a running total that includes it).
/// </summary>
internal static class LabelPredictorCheck
{
    /// <summary>Share of held-in rows a value-to-class map must get right to count as a stand-in for the label.</summary>
    public const double Purity = 0.99;

    /// <summary>Above this majority share, being right almost always says nothing: the check does not judge.</summary>
    public const double MajorityCeiling = 0.95;

    /// <summary>Share of rows whose own class name a column must contain.</summary>
    public const double NameShare = 0.95;

    /// <summary>ROC AUC of one number from which it separates a binary label.</summary>
    public const double SeparatingAuc = 0.995;

    /// <summary>|correlation| of one number with a numeric label from which it is nearly the label.</summary>
    public const double NearCopyCorrelation = 0.995;

    /// <summary>The regression check: numeric features that are nearly the label become <see cref="ColumnKind.LabelPredictor"/>.</summary>
    /// <param name="columns">The inspected columns.</param>
    /// <param name="data">The data.</param>
    /// <param name="labels">The numeric label.</param>
    /// <param name="rows">The training rows.</param>
    public static IReadOnlyList<ColumnSummary> ApplyRegression(IReadOnlyList<ColumnSummary> columns, IDataView data, LabelValues labels, int[] rows)
    {
        var labelled = rows.Where(r => !labels.IsMissing(r)).ToArray();
        var suspects = columns.Where(c => c.IsFeature && c.Kind == ColumnKind.Numeric && LabelReaders.CanRead(data.Schema[c.Name].Type)).ToArray();
        if (suspects.Length == 0 || labelled.Length < 20)
            return columns;
        var target = labelled.Select(r => labels.Numbers[r]).ToArray();
        var values = Read(data, suspects.Select(c => data.Schema[c.Name]).ToArray(), labelled);
        var verdicts = new Dictionary<string, string>();
        for (int i = 0; i < suspects.Length; i++)
        {
            var present = Enumerable.Range(0, labelled.Length).Where(j => !double.IsNaN(values[i].Numbers[j]) && !double.IsNaN(target[j])).ToArray();
            if (present.Length < 20)
                continue;
            var x = present.Select(j => values[i].Numbers[j]).ToArray();
            var y = present.Select(j => target[j]).ToArray();
            double pearson = Correlation(x, y), spearman = Correlation(Ranks(x), Ranks(y));
            double strongest = Math.Max(Math.Abs(pearson), Math.Abs(spearman));
            if (strongest >= NearCopyCorrelation)
                verdicts[suspects[i].Name] = $"it is nearly the label itself (Pearson r {pearson:0.#####}, Spearman ρ {spearman:0.#####})";
        }
        return columns.Select(c => verdicts.TryGetValue(c.Name, out var why)
            ? c with { Kind = ColumnKind.LabelPredictor, Reason = $"{why}: it predicts the label '{labels.ColumnName}' almost perfectly on its own, which real features rarely do (leakage: a copy or a value recorded once the outcome was known?)" }
            : c).ToArray();
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Ranks 1..n, ties sharing their mean rank.</summary>
    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var rank = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
                end++;
            for (int k = start; k <= end; k++)
                rank[order[k]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return rank;
    }

    /// <param name="columns">The inspected columns.</param>
    /// <param name="data">The data.</param>
    /// <param name="labels">The label (classification).</param>
    /// <param name="rows">The training rows.</param>
    public static IReadOnlyList<ColumnSummary> Apply(IReadOnlyList<ColumnSummary> columns, IDataView data, LabelValues labels, int[] rows)
    {
        var labelled = rows.Where(r => !labels.IsMissing(r)).ToArray();
        // Each labelled row's class name, once (a numeric label formats its number on every LabelValues.Text call).
        var names = labelled.Select(labels.Text).ToArray();
        var classes = names.Distinct().ToArray();
        if (classes.Length < 2 || labelled.Length < 20)
            return columns;
        double majority = names.GroupBy(n => n).Max(g => g.Count()) / (double)names.Length;
        var suspects = columns.Where(c => c.IsFeature && c.Kind is ColumnKind.Categorical or ColumnKind.Text or ColumnKind.Numeric
            && (data.Schema[c.Name].Type is TextDataViewType || LabelReaders.CanRead(data.Schema[c.Name].Type))).ToArray();
        if (suspects.Length == 0)
            return columns;
        var values = Read(data, suspects.Select(c => data.Schema[c.Name]).ToArray(), labelled);
        var verdicts = new Dictionary<string, string>();
        for (int i = 0; i < suspects.Length; i++)
        {
            var column = suspects[i];
            string? why = null;
            if (column.Kind is ColumnKind.Categorical or ColumnKind.Numeric && majority < MajorityCeiling)
                why = StandsForClasses(values[i].Texts, names, labelled);
            if (why is null && data.Schema[column.Name].Type is TextDataViewType)
                why = NamesTheClass(values[i].Texts, names, classes);
            if (why is null && column.Kind == ColumnKind.Numeric && classes.Length == 2)
                why = Separates(values[i].Numbers, names, classes);
            if (why is not null)
                verdicts[column.Name] = why;
        }
        return columns.Select(c => verdicts.TryGetValue(c.Name, out var why)
            ? c with { Kind = ColumnKind.LabelPredictor, Reason = $"{why}: it predicts the label '{labels.ColumnName}' almost perfectly on its own, which real features rarely do (leakage: a value recorded once the outcome was known?)" }
            : c).ToArray();
    }

    private static string? StandsForClasses(string[] texts, string[] names, int[] rows)
    {
        // Learn on half the rows, judge on the other half (a fixed hash of the row, so that no period in the file lines up
        // with the halves): a value per row (an id) is never seen again and so is not judged.
        static bool Learns(int row) => ((uint)row * 2654435761u) >> 31 == 0;
        var map = new Dictionary<string, Dictionary<string, int>>();
        for (int i = 0; i < rows.Length; i++)
        {
            if (!Learns(rows[i]) || texts[i].Length == 0)
                continue;
            if (!map.TryGetValue(texts[i], out var counts))
                map[texts[i]] = counts = [];
            counts[names[i]] = counts.GetValueOrDefault(names[i]) + 1;
        }
        var predicted = map.ToDictionary(p => p.Key, p => p.Value.MaxBy(c => c.Value).Key);
        int judged = 0, right = 0, heldIn = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (Learns(rows[i]))
                continue;
            heldIn++;
            if (!predicted.TryGetValue(texts[i], out var label))
                continue;
            judged++;
            if (label == names[i])
                right++;
        }
        if (heldIn == 0 || judged < 0.9 * heldIn || map.Count < 2)
            return null;
        double share = (double)right / judged;
        return share >= Purity ? $"each of its {map.Count} values stands for one class ({share:P1} of held-in rows right)" : null;
    }

    private static string? NamesTheClass(string[] texts, string[] names, string[] classes)
    {
        var named = classes.Where(c => c.Length >= 3 && !double.TryParse(c, out _)).ToArray();
        if (named.Length < 2)
            return null;
        var patterns = named.ToDictionary(c => c, c => new Regex(@"(?<![\p{L}\p{N}])" + Regex.Escape(c) + @"(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
        int own = 0, other = 0, judged = 0;
        for (int i = 0; i < names.Length; i++)
        {
            var label = names[i];
            if (!patterns.ContainsKey(label))
                continue;
            judged++;
            if (patterns[label].IsMatch(texts[i]))
                own++;
            if (patterns.Any(p => p.Key != label && p.Value.IsMatch(texts[i])))
                other++;
        }
        if (judged < 20)
            return null;
        double ownShare = (double)own / judged, otherShare = (double)other / judged;
        return ownShare >= NameShare && otherShare < 0.1 ? $"it contains the row's class name in {ownShare:P1} of the rows (another class's in {otherShare:P1})" : null;
    }

    private static string? Separates(double[] numbers, string[] names, string[] classes)
    {
        var present = Enumerable.Range(0, names.Length).Where(i => !double.IsNaN(numbers[i])).ToArray();
        if (present.Length < 20)
            return null;
        // AUC by ranks (Mann-Whitney U, ties counted half).
        var presentRanks = Ranks(present.Select(i => numbers[i]).ToArray());
        var rank = new double[names.Length];
        for (int k = 0; k < present.Length; k++)
            rank[present[k]] = presentRanks[k];
        double positives = 0, rankSum = 0;
        foreach (var i in present)
        {
            if (names[i] == classes[0])
            {
                positives++;
                rankSum += rank[i];
            }
        }
        double negatives = present.Length - positives;
        if (positives == 0 || negatives == 0)
            return null;
        double auc = (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
        double separation = Math.Max(auc, 1 - auc);
        return separation >= SeparatingAuc ? $"a threshold on it separates the two classes (ROC AUC {separation:0.####})" : null;
    }

    /// <summary>The suspects' values on the rows: text (numbers formatted; empty when missing) and numbers (NaN when not a number).</summary>
    private static (string[] Texts, double[] Numbers)[] Read(IDataView data, DataViewSchema.Column[] columns, int[] rows)
    {
        var position = new Dictionary<int, int>(rows.Length);
        for (int i = 0; i < rows.Length; i++)
            position[rows[i]] = i;
        var result = columns.Select(_ => (Texts: new string[rows.Length], Numbers: new double[rows.Length])).ToArray();
        foreach (var r in result)
        {
            Array.Fill(r.Texts, "");
            Array.Fill(r.Numbers, double.NaN);
        }
        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select<DataViewSchema.Column, Action<int>>((c, j) =>
        {
            if (c.Type is TextDataViewType)
            {
                var get = cursor.GetGetter<ReadOnlyMemory<char>>(c);
                var value = default(ReadOnlyMemory<char>);
                return i =>
                {
                    get(ref value);
                    result[j].Texts[i] = value.Span.Trim().ToString();
                };
            }
            var number = LabelReaders.Number(cursor, c);
            bool key = c.Type is KeyDataViewType;
            return i =>
            {
                double x = number();
                if (key && x == 0)
                    x = double.NaN;
                result[j].Numbers[i] = x;
                result[j].Texts[i] = double.IsNaN(x) ? "" : LabelValues.Format(x);
            };
        }).ToArray();
        while (cursor.MoveNext())
        {
            if (cursor.Position > int.MaxValue || !position.TryGetValue((int)cursor.Position, out var i))
                continue;
            foreach (var read in readers)
                read(i);
        }
        return result;
    }
}
