namespace Mlx.FeatureEngineering.Selection;

/// <summary>
/// Ranks slots by score (higher is better, NaN lowest) and picks the kept ones by count, percentile or threshold.
/// Ties keep the lower slot index first (scikit-learn's SelectKBest keeps the higher index among ties).
/// </summary>
internal static class SlotRanking
{
    /// <summary>Slot indices from best to worst.</summary>
    public static int[] Order(IReadOnlyList<double> scores) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(j => double.IsNaN(scores[j]) ? double.NegativeInfinity : scores[j]).ThenBy(j => j).ToArray();

    /// <summary>The rank (1 = best) of each slot.</summary>
    public static int[] Ranks(IReadOnlyList<double> scores)
    {
        var order = Order(scores);
        var ranks = new int[scores.Count];
        for (int r = 0; r < order.Length; r++)
            ranks[order[r]] = r + 1;
        return ranks;
    }

    /// <summary>The kept slots in ascending index order.</summary>
    /// <param name="scores">One score per slot.</param>
    /// <param name="count">Keep the best <c>count</c> slots.</param>
    /// <param name="percentile">Keep the best ⌊slots × percentile / 100⌋ slots (as SelectPercentile).</param>
    /// <param name="threshold">Keep the slots whose score is ≥ threshold.</param>
    public static int[] Select(IReadOnlyList<double> scores, int? count, double? percentile, double? threshold)
    {
        IEnumerable<int> kept;
        if (threshold is double t)
            kept = Enumerable.Range(0, scores.Count).Where(j => scores[j] >= t);
        else if (percentile is double p)
            kept = Order(scores).Take((int)Math.Floor(scores.Count * p / 100.0));
        else
            kept = Order(scores).Take(Math.Min(count ?? scores.Count, scores.Count));
        return kept.OrderBy(j => j).ToArray();
    }

    /// <summary>Checks that exactly one rule is set; throws an <see cref="ArgumentException"/> saying how to call.</summary>
    public static void ValidateRule(int? count, double? percentile, double? threshold)
    {
        int rules = (count.HasValue ? 1 : 0) + (percentile.HasValue ? 1 : 0) + (threshold.HasValue ? 1 : 0);
        if (rules != 1)
            throw new ArgumentException($"Give exactly one of count, percentile or threshold (got {rules}). For example count: 10, or percentile: 25 with count: null.");
        if (count is < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (percentile is double p && !(p > 0 && p <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (0, 100].");
        if (threshold is double t && double.IsNaN(t))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be a number.");
    }
}
