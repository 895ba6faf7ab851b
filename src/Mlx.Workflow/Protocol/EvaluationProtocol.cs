namespace Mlx.Workflow;

/// <summary>The evaluation protocol the workflow chose, with its reason.</summary>
/// <param name="Kind">Hold-out, K-fold, iterated K-fold or time-ordered hold-out.</param>
/// <param name="Folds">Folds (1 for a hold-out).</param>
/// <param name="Repeats">Repeats of the K-fold (1 unless iterated).</param>
/// <param name="ValidationFraction">Share of the training rows that validate in a hold-out.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record EvaluationProtocol(ProtocolKind Kind, int Folds, int Repeats, double ValidationFraction, string Reason)
{
    /// <summary>Model fits per candidate.</summary>
    public int Fits => Folds * Repeats;

    /// <summary>The book's rule by the number of training rows (hold-out from 5,000, K-fold from 500, else iterated K-fold); time order first.</summary>
    public static EvaluationProtocol Choose(int trainingRows, bool timeOrdered, WorkflowOptions options)
    {
        if (timeOrdered)
            return new(ProtocolKind.TimeOrderedHoldOut, 1, 1, options.ValidationFraction,
                $"the rows have timestamps: the latest {options.ValidationFraction:P0} of the training rows validate (never train on the future)");
        if (trainingRows >= options.HoldOutFromRows)
            return new(ProtocolKind.HoldOut, 1, 1, options.ValidationFraction,
                $"{trainingRows:N0} training rows (at least {options.HoldOutFromRows:N0}): one validation split of {options.ValidationFraction:P0} is reliable");
        if (trainingRows >= options.KFoldFromRows)
            return new(ProtocolKind.KFold, options.Folds, 1, 0,
                $"{trainingRows:N0} training rows (fewer than {options.HoldOutFromRows:N0}): {options.Folds}-fold cross-validation");
        return new(ProtocolKind.IteratedKFold, options.Folds, options.Repeats, 0,
            $"{trainingRows:N0} training rows (fewer than {options.KFoldFromRows:N0}): {options.Folds}-fold cross-validation repeated {options.Repeats} times with new shuffles");
    }
}
