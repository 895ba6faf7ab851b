namespace Mlx.FeatureEngineering;

/// <summary>Sequential forward / backward selection and forward floating selection; see <see cref="WrapperSearch.SequentialForward"/>.</summary>
public sealed record SequentialSearch(bool Forward, int? Features, bool FloatingExclusions) : WrapperSearch
{
    internal override int? TargetSize => Features;

    internal override void Run(int slots, SubsetScorer score, Random random)
    {
        int target = Features ?? (Forward ? slots : 1);
        if (target < 1 || target > slots)
            throw new ArgumentOutOfRangeException(nameof(Features), Features, $"Select between 1 and {slots} slots.");
        var current = new bool[slots];
        double currentScore = double.NegativeInfinity;
        var bestOfSize = new Dictionary<int, double>();
        if (!Forward)
        {
            Array.Fill(current, true);
            currentScore = score([current])[0];
            if (double.IsNaN(currentScore))
                return;
        }
        while (Forward ? Count(current) < target : Count(current) > target)
        {
            var moves = Enumerable.Range(0, slots).Where(j => current[j] != Forward).ToArray();
            var candidates = moves.Select(j => Flip(current, j)).ToArray();
            var scores = score(candidates);
            if (scores.Any(double.IsNaN))
                return;
            int best = Array.IndexOf(scores, scores.Max());
            if (Features is null && !(scores[best] > currentScore))
                return; // no move improves: the search has converged
            current = candidates[best];
            currentScore = scores[best];
            Record(bestOfSize, current, currentScore);
            // Floating: conditional exclusions while a smaller subset beats the best seen at its size.
            while (FloatingExclusions && Count(current) > 2)
            {
                int added = moves[best];
                var removals = Enumerable.Range(0, slots).Where(j => current[j] && j != added).Select(j => Flip(current, j)).ToArray();
                var removalScores = score(removals);
                if (removalScores.Any(double.IsNaN))
                    return;
                int r = Array.IndexOf(removalScores, removalScores.Max());
                if (!(removalScores[r] > bestOfSize.GetValueOrDefault(Count(current) - 1, double.NegativeInfinity)))
                    break;
                current = removals[r];
                currentScore = removalScores[r];
                Record(bestOfSize, current, currentScore);
            }
        }
    }

    private static void Record(Dictionary<int, double> bestOfSize, bool[] subset, double value)
    {
        int size = Count(subset);
        if (!bestOfSize.TryGetValue(size, out double best) || value > best)
            bestOfSize[size] = value;
    }

    internal static int Count(bool[] subset) => subset.Count(b => b);

    internal static bool[] Flip(bool[] subset, int slot)
    {
        var copy = (bool[])subset.Clone();
        copy[slot] = !copy[slot];
        return copy;
    }
}
