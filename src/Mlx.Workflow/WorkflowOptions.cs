namespace Mlx.Workflow;

/// <summary>Options of <see cref="WorkflowRunner"/>; every default follows "Deep Learning with Python" 4.5.</summary>
public sealed class WorkflowOptions
{
    /// <summary>The task; detected from the label when null.</summary>
    public TaskKind? Task { get; set; }

    /// <summary>The metric to optimise by name (auc, auprc, accuracy, f1, log-loss, macro-accuracy, mae, rmse, r2); chosen by task and class balance when null.</summary>
    public string? Metric { get; set; }

    /// <summary>The positive class of a binary task; by default 1/true/yes/positive when present, else the rarer class.</summary>
    public string? PositiveClass { get; set; }

    /// <summary>Wall-clock budget of the whole run; candidates that would not fit are skipped and reported.</summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Seed of every split, shuffle and initialization.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Share of the labelled rows held out as the test split.</summary>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Share of the training rows that validate in a hold-out protocol.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>From this many training rows a single hold-out validation split is used.</summary>
    public int HoldOutFromRows { get; set; } = 5_000;

    /// <summary>From this many training rows (and below <see cref="HoldOutFromRows"/>) K-fold is used; below it, iterated K-fold.</summary>
    public int KFoldFromRows { get; set; } = 500;

    /// <summary>K of the K-fold protocols.</summary>
    public int Folds { get; set; } = 5;

    /// <summary>Repeats of the iterated K-fold.</summary>
    public int Repeats { get; set; } = 2;

    /// <summary>Columns not to use as features (identifiers the inspection would not recognise, leaky columns).</summary>
    public IReadOnlyList<string> IgnoreColumns { get; set; } = [];

    /// <summary>
    /// Columns to use as features even when the workflow would leave them out as an identifier, a copy of the label or
    /// a column that predicts the label on its own (suspected leakage); each is reported with a warning.
    /// </summary>
    public IReadOnlyList<string> KeepColumns { get; set; } = [];

    /// <summary>The timestamp column that orders the rows for a time-ordered split; null: the first one found, if any.</summary>
    public string? TimeColumn { get; set; }

    /// <summary>Whether rows with timestamps are split by time (the latest rows test and validate); false shuffles them like any rows.</summary>
    public bool UseTimeOrder { get; set; } = true;

    /// <summary>Folder that relative image paths are relative to (the CSV's folder for the CLI).</summary>
    public string? ImageFolder { get; set; }

    /// <summary>Most epochs of a network candidate (early stopping on the validation loss ends most runs sooner).</summary>
    public int MaxEpochs { get; set; } = 200;

    /// <summary>Progress of the steps and candidates.</summary>
    public IProgress<WorkflowProgress>? Progress { get; set; }

    /// <summary>Refuses settings the workflow cannot honour, naming the option and the fix.</summary>
    internal void Validate()
    {
        static void Check(bool ok, string option, object value, string fix)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(option, value, fix);
        }
        Check(TimeBudget > TimeSpan.Zero, nameof(TimeBudget), TimeBudget, "Give the run a positive time budget.");
        Check(TestFraction is > 0 and <= 0.5, nameof(TestFraction), TestFraction, "Hold out between 0 (exclusive) and half of the rows for the test.");
        Check(ValidationFraction is > 0 and <= 0.5, nameof(ValidationFraction), ValidationFraction, "Validate on between 0 (exclusive) and half of the training rows.");
        Check(Folds >= 2, nameof(Folds), Folds, "K-fold needs at least 2 folds.");
        Check(Repeats >= 1, nameof(Repeats), Repeats, "Repeat the K-fold at least once.");
        Check(KFoldFromRows <= HoldOutFromRows, nameof(KFoldFromRows), KFoldFromRows, "KFoldFromRows must not exceed HoldOutFromRows.");
        Check(MaxEpochs >= 1, nameof(MaxEpochs), MaxEpochs, "Train networks for at least one epoch.");
    }
}
