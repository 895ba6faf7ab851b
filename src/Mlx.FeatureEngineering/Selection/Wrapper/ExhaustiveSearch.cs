namespace Mlx.FeatureEngineering;

/// <summary>Every non-empty subset, within a stated limit; see <see cref="WrapperSearch.Exhaustive"/>.</summary>
public sealed record ExhaustiveSearch(int MaxSubsets) : WrapperSearch
{
    internal override void Run(int slots, SubsetScorer score, Random random)
    {
        double subsets = Math.Pow(2, slots) - 1;
        if (slots > 30 || subsets > MaxSubsets)
        {
            throw new ArgumentException($"{slots} slots make {subsets:G4} non-empty subsets, more than Exhaustive(maxSubsets: {MaxSubsets}) allows. " +
                "Use a sequential, floating, genetic or annealing search, select fewer slots first (a filter selector), or raise maxSubsets.");
        }
        const int Batch = 64;
        for (int first = 1; first <= (int)subsets; first += Batch)
        {
            var batch = Enumerable.Range(first, Math.Min(Batch, (int)subsets - first + 1))
                .Select(mask => Enumerable.Range(0, slots).Select(j => (mask >> j & 1) == 1).ToArray()).ToArray();
            if (score(batch).Any(double.IsNaN))
                return;
        }
    }
}
