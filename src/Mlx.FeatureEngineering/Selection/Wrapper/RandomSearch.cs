namespace Mlx.FeatureEngineering;

/// <summary>Uniformly random non-empty subsets; see <see cref="WrapperSearch.Random"/>.</summary>
public sealed record RandomSearch(int Subsets) : WrapperSearch
{
    internal override void Run(int slots, SubsetScorer score, Random random)
    {
        if (Subsets < 1)
            throw new ArgumentOutOfRangeException(nameof(Subsets), Subsets, "Draw at least one subset.");
        var batch = Enumerable.Range(0, Subsets).Select(_ => RandomSubset(slots, random)).ToArray();
        score(batch);
    }

    internal static bool[] RandomSubset(int slots, Random random)
    {
        while (true)
        {
            var subset = Enumerable.Range(0, slots).Select(_ => random.Next(2) == 1).ToArray();
            if (subset.Any(b => b))
                return subset;
        }
    }
}
