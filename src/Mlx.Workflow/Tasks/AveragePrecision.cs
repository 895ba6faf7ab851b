namespace Mlx.Workflow;

/// <summary>
/// The area under the precision-recall curve as average precision, scikit-learn's <c>average_precision_score</c>:
/// Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct score thresholds from the highest down (tied scores form one threshold). A
/// constant score gives the positive share, which is what a model that knows nothing earns; ML.NET's
/// AreaUnderPrecisionRecallCurve gives a constant score 1, which no model can beat (found on the corpus'
/// heavily imbalanced sets, where the baseline then looked perfect).
/// </summary>
internal static class AveragePrecision
{
    /// <summary>Average precision of <paramref name="scores"/> (higher: more likely positive) for the labels; NaN without a positive.</summary>
    public static double Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        if (scores.Count != positive.Count)
            throw new ArgumentException($"{scores.Count} scores for {positive.Count} labels.");
        int positives = positive.Count(p => p);
        if (positives == 0)
            return double.NaN;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double ap = 0, previousRecall = 0;
        int truePositives = 0, seen = 0;
        for (int k = 0; k < order.Length;)
        {
            float threshold = scores[order[k]];
            // Every row tied at this threshold is predicted positive together.
            for (; k < order.Length && scores[order[k]] == threshold; k++)
            {
                seen++;
                truePositives += positive[order[k]] ? 1 : 0;
            }
            double recall = (double)truePositives / positives, precision = (double)truePositives / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }
}
