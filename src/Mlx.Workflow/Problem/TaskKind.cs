namespace Mlx.Workflow;

/// <summary>The learning task, detected from the label (step 1) or chosen by the caller.</summary>
public enum TaskKind
{
    /// <summary>Two classes.</summary>
    BinaryClassification,

    /// <summary>More than two classes, one per row.</summary>
    MulticlassClassification,

    /// <summary>A number.</summary>
    Regression,

    /// <summary>Several yes/no labels per row (several 0/1 or Boolean columns, or a vector of them).</summary>
    MultilabelClassification,

    /// <summary>Several numbers per row (several numeric columns, or a vector).</summary>
    VectorRegression,
}
