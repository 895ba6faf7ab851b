namespace Mlx.Workflow;

/// <summary>The label of every row as the workflow reads it: one column (<see cref="LabelValues"/>) or several outputs (<see cref="LabelVectors"/>).</summary>
internal interface ILabelData
{
    /// <summary>The label column(s), comma separated.</summary>
    string ColumnName { get; }

    /// <summary>Rows read.</summary>
    int Rows { get; }

    /// <summary>Whether the row has no (complete) label.</summary>
    bool IsMissing(int row);

    /// <summary>The row's label as text (several outputs joined by commas).</summary>
    string Text(int row);
}
