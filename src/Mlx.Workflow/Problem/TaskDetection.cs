using Mlx.Core.Errors;

namespace Mlx.Workflow;

/// <summary>Step 1: the task from the label's values, with the reason in words.</summary>
internal static class TaskDetection
{
    /// <summary>Integer labels with at most this many distinct values are classes; more are a quantity.</summary>
    public const int MaximumClassesOfIntegerLabel = 20;

    public static (TaskKind Task, string Reason) Detect(LabelValues labels, TaskKind? requested)
    {
        var present = Enumerable.Range(0, labels.Rows).Where(r => !labels.IsMissing(r)).ToArray();
        if (present.Length == 0)
            throw MlxError.CannotFit($"label column '{labels.ColumnName}'", "has no values (every row is missing or empty)",
                "Pass the column that holds what to predict.");
        var distinct = present.Select(labels.Text).Distinct().Count();
        if (distinct < 2)
            throw MlxError.CannotFit($"label column '{labels.ColumnName}'", $"has one value ('{labels.Text(present[0])}') in all {present.Length} labelled rows: there is nothing to learn",
                "Check that the right column was named as the label and that the data are not filtered to one class.");
        if (requested is { } task)
        {
            if (task == TaskKind.Regression && !labels.IsNumeric)
                throw MlxError.WrongColumnType(labels.ColumnName, "numbers for regression", "text",
                    "Use a classification task for a text label, or convert the label to numbers.");
            if (task == TaskKind.BinaryClassification && distinct != 2)
                throw MlxError.CannotFit($"label column '{labels.ColumnName}'", $"has {distinct} distinct values, not 2, so it is not a binary task",
                    "Use --task multiclass (or MulticlassClassification).");
            return (task, "chosen by the caller");
        }
        if (!labels.IsNumeric)
            return distinct == 2
                ? (TaskKind.BinaryClassification, $"text label with 2 values")
                : (TaskKind.MulticlassClassification, $"text label with {distinct} values");
        bool integers = present.All(r => labels.Numbers[r] == Math.Round(labels.Numbers[r]));
        if (integers && distinct == 2)
            return (TaskKind.BinaryClassification, "integer label with 2 values");
        if (integers && distinct <= MaximumClassesOfIntegerLabel)
            return (TaskKind.MulticlassClassification, $"integer label with {distinct} values (at most {MaximumClassesOfIntegerLabel}: classes)");
        return (TaskKind.Regression, integers
            ? $"integer label with {distinct} values (more than {MaximumClassesOfIntegerLabel}: a quantity)"
            : $"numeric label with {distinct} distinct values");
    }

    /// <summary>The task of a label with several outputs: multilabel when every value is 0/1, else vector regression.</summary>
    public static (TaskKind Task, string Reason) DetectVector(LabelVectors labels, TaskKind? requested)
    {
        var present = Enumerable.Range(0, labels.Rows).Where(r => !labels.IsMissing(r)).ToArray();
        if (present.Length == 0)
            throw MlxError.CannotFit($"label columns '{labels.ColumnName}'", "have no complete row (every row misses a value)", "Pass the columns that hold what to predict.");
        for (int j = 0; j < labels.Width; j++)
        {
            var distinct = present.Select(r => labels.Values[r * labels.Width + j]).Distinct().Count();
            if (distinct < 2)
                throw MlxError.CannotFit($"label output '{labels.Names[j]}'", $"has one value in all {present.Length} labelled rows: there is nothing to learn",
                    "Leave that output out of the label.");
        }
        bool zeroOne = labels.IsZeroOne;
        if (requested is { } task)
        {
            if (task is not (TaskKind.MultilabelClassification or TaskKind.VectorRegression))
                throw new ArgumentException($"The label has {labels.Width} outputs ({labels.ColumnName}), so the task is multilabel or vector regression, not {task}.");
            if (task == TaskKind.MultilabelClassification && !zeroOne)
                throw MlxError.CannotFit($"label columns '{labels.ColumnName}'", "hold values other than 0 and 1, so they are not yes/no labels", "Use vector regression, or code each label as 0/1.");
            return (task, "chosen by the caller");
        }
        return zeroOne
            ? (TaskKind.MultilabelClassification, $"{labels.Width} outputs, all 0/1: yes/no labels")
            : (TaskKind.VectorRegression, $"{labels.Width} numeric outputs");
    }
}
