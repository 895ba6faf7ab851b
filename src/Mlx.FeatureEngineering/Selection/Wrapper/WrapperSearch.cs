namespace Mlx.FeatureEngineering;

/// <summary>
/// How a wrapper search walks through subsets of slots (book: wrapper methods). Each search proposes subsets and reads
/// back their cross-validated scores (higher is better here; a "lower is better" metric is negated); subsets already
/// scored are not scored again. Budgets: <c>maxEvaluations</c> and <c>timeBudget</c> of the selector.
/// </summary>
public abstract record WrapperSearch
{
    private protected WrapperSearch()
    {
    }

    /// <summary>Adds the slot that helps most, one at a time, from none to <paramref name="features"/> slots (or until no slot helps when null).</summary>
    public static WrapperSearch SequentialForward(int? features = null) => new SequentialSearch(true, features, false);

    /// <summary>Removes the slot whose removal helps most, one at a time, from all to <paramref name="features"/> slots (or until every removal hurts when null).</summary>
    public static WrapperSearch SequentialBackward(int? features = null) => new SequentialSearch(false, features, false);

    /// <summary>Sequential forward floating selection (SFFS): after each addition, removes slots while that beats the best subset of that size seen.</summary>
    public static WrapperSearch Floating(int? features = null) => new SequentialSearch(true, features, true);

    /// <summary>Every non-empty subset — refused when there are more than <paramref name="maxSubsets"/> (2ᵈ − 1 grows fast).</summary>
    public static WrapperSearch Exhaustive(int maxSubsets = 4096) => new ExhaustiveSearch(maxSubsets);

    /// <summary>Uniformly random non-empty subsets.</summary>
    public static WrapperSearch Random(int subsets = 50) => new RandomSearch(subsets);

    /// <summary>A genetic algorithm over slot bit masks: tournament selection, uniform crossover, bit-flip mutation, elitism.</summary>
    public static WrapperSearch Genetic(int population = 20, int generations = 10, double crossover = 0.8, double mutation = 0.1, int elitism = 2) =>
        new GeneticSearch(population, generations, crossover, mutation, elitism);

    /// <summary>Simulated annealing: flip one slot per move; accept worse subsets with probability e^(Δ / T), T = start · cooling^i.</summary>
    public static WrapperSearch SimulatedAnnealing(int iterations = 100, double startTemperature = 0.02, double cooling = 0.95) =>
        new AnnealingSearch(iterations, startTemperature, cooling);

    /// <summary>The subset size the search was asked for (the result is the best subset of that size), or null for any size.</summary>
    internal virtual int? TargetSize => null;

    /// <summary>Runs the search over <paramref name="slots"/> slots, scoring batches of subsets with <paramref name="score"/>.</summary>
    internal abstract void Run(int slots, SubsetScorer score, System.Random random);
}

/// <summary>Scores subsets (a batch at once, evaluated in parallel); returns NaN once the budget is spent.</summary>
internal delegate double[] SubsetScorer(IReadOnlyList<bool[]> subsets);
