using Mlx.Core.Errors;

namespace Mlx.Workflow;

/// <summary>
/// The classes of a classification label: their names in order (numbers numerically, text ordinally) and each row's
/// class index (−1 when missing). For a binary task the positive class is the caller's, else 1 / true / yes / positive
/// when the label has it, else the rarer class (the one a binary task is usually about: bad credit, malignant).
/// </summary>
internal sealed class ClassLabels
{
    private static readonly string[] PositiveNames = ["1", "true", "yes", "y", "positive", "pos"];

    private ClassLabels(IReadOnlyList<string> names, int[] classOf, int positive, string positiveReason)
    {
        Names = names;
        ClassOf = classOf;
        Positive = positive;
        PositiveReason = positiveReason;
    }

    /// <summary>Class names in key order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Each row's class index, −1 for a missing label.</summary>
    public int[] ClassOf { get; }

    /// <summary>The positive class of a binary task.</summary>
    public int Positive { get; }

    /// <summary>Why that class is the positive one.</summary>
    public string PositiveReason { get; }

    /// <summary>Rows per class among the given rows.</summary>
    public int[] Counts(IEnumerable<int> rows)
    {
        var counts = new int[Names.Count];
        foreach (var r in rows)
            if (ClassOf[r] >= 0)
                counts[ClassOf[r]]++;
        return counts;
    }

    /// <summary>"classes: a (700 rows), b (300 rows)".</summary>
    public string Describe(IEnumerable<int> rows)
    {
        var counts = Counts(rows);
        return "classes: " + string.Join(", ", Names.Select((n, i) => $"{n} ({counts[i]:N0} rows)"));
    }

    public static ClassLabels Create(LabelValues labels, IReadOnlyList<string>? knownNames, string? positiveClass, bool binary)
    {
        var present = Enumerable.Range(0, labels.Rows).Where(r => !labels.IsMissing(r));
        IReadOnlyList<string> names = knownNames ?? (labels.IsNumeric
            ? present.Select(r => labels.Numbers[r]).Distinct().Order().Select(LabelValues.Format).ToArray()
            : present.Select(labels.Text).Distinct().Order(StringComparer.Ordinal).ToArray());
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var classOf = new int[labels.Rows];
        for (int r = 0; r < classOf.Length; r++)
        {
            if (labels.IsMissing(r))
            {
                classOf[r] = -1;
                continue;
            }
            var text = labels.Text(r);
            if (!index.TryGetValue(text, out classOf[r]))
                throw MlxError.BadText(MlxError.Where(labels.ColumnName, row: r), text, "is a class the model was not trained on",
                    $"Evaluate on data whose labels are among: {string.Join(", ", names)}.");
        }
        if (!binary)
            return new ClassLabels(names, classOf, -1, "");
        if (positiveClass is not null)
        {
            int p = names.ToList().FindIndex(n => string.Equals(n, positiveClass, StringComparison.OrdinalIgnoreCase));
            if (p < 0)
                throw MlxError.BadText($"positive class", positiveClass, $"is not a value of the label column '{labels.ColumnName}'",
                    $"Name one of: {string.Join(", ", names)}.");
            return new ClassLabels(names, classOf, p, "chosen by the caller");
        }
        int named = names.ToList().FindIndex(n => PositiveNames.Contains(n, StringComparer.OrdinalIgnoreCase));
        if (named >= 0)
            return new ClassLabels(names, classOf, named, $"'{names[named]}' names the positive class");
        var counts = new int[names.Count];
        foreach (var c in classOf)
            if (c >= 0)
                counts[c]++;
        int rarer = counts[1] <= counts[0] ? 1 : 0;
        return new ClassLabels(names, classOf, rarer, $"the rarer class ({counts[rarer]} of {counts.Sum()} rows)");
    }
}
