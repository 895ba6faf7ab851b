namespace Mlx.Workflow;

/// <summary>Step 3, how candidates are compared ("Deep Learning with Python" 4.2.1).</summary>
public enum ProtocolKind
{
    /// <summary>One validation split: plenty of data.</summary>
    HoldOut,

    /// <summary>K folds: too few rows for a reliable hold-out.</summary>
    KFold,

    /// <summary>K folds drawn again P times with new shuffles: very few rows.</summary>
    IteratedKFold,

    /// <summary>The latest training rows validate: the rows have timestamps, and the future must not train.</summary>
    TimeOrderedHoldOut,
}
