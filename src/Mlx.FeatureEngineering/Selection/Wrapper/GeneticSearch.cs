namespace Mlx.FeatureEngineering;

/// <summary>A genetic algorithm over slot masks; see <see cref="WrapperSearch.Genetic"/>.</summary>
public sealed record GeneticSearch(int Population, int Generations, double Crossover, double Mutation, int Elitism) : WrapperSearch
{
    internal override void Run(int slots, SubsetScorer score, Random random)
    {
        if (Population < 2 || Generations < 1 || Elitism < 0 || Elitism >= Population || Crossover is < 0 or > 1 || Mutation is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(Population), $"population {Population}, generations {Generations}, elitism {Elitism}, crossover {Crossover}, mutation {Mutation}",
                "Population ≥ 2, generations ≥ 1, 0 ≤ elitism < population, rates in [0, 1].");
        var population = Enumerable.Range(0, Population).Select(_ => RandomSearch.RandomSubset(slots, random)).ToArray();
        var fitness = score(population);
        for (int generation = 0; generation < Generations && !fitness.Any(double.IsNaN); generation++)
        {
            var order = Enumerable.Range(0, Population).OrderByDescending(i => fitness[i]).ToArray();
            var next = order.Take(Elitism).Select(i => population[i]).ToList();
            while (next.Count < Population)
            {
                var a = population[Tournament(fitness, random)];
                var b = population[Tournament(fitness, random)];
                var child = random.NextDouble() < Crossover ? a.Zip(b, (x, y) => random.Next(2) == 0 ? x : y).ToArray() : (bool[])a.Clone();
                for (int j = 0; j < slots; j++)
                {
                    if (random.NextDouble() < Mutation)
                        child[j] = !child[j];
                }
                if (!child.Any(x => x))
                    child[random.Next(slots)] = true;
                next.Add(child);
            }
            population = next.ToArray();
            fitness = score(population);
        }
    }

    // The fitter of two random members.
    private int Tournament(double[] fitness, Random random)
    {
        int a = random.Next(fitness.Length), b = random.Next(fitness.Length);
        return fitness[a] >= fitness[b] ? a : b;
    }
}
