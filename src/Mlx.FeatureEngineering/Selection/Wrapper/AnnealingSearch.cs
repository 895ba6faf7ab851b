namespace Mlx.FeatureEngineering;

/// <summary>Simulated annealing over slot masks; see <see cref="WrapperSearch.SimulatedAnnealing"/>.</summary>
public sealed record AnnealingSearch(int Iterations, double StartTemperature, double Cooling) : WrapperSearch
{
    internal override void Run(int slots, SubsetScorer score, Random random)
    {
        if (Iterations < 1 || !(StartTemperature > 0) || Cooling is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), $"iterations {Iterations}, temperature {StartTemperature}, cooling {Cooling}", "Iterations ≥ 1, a positive temperature, cooling in (0, 1].");
        var current = Enumerable.Repeat(true, slots).ToArray();
        double currentScore = score([current])[0], temperature = StartTemperature;
        for (int i = 0; i < Iterations && !double.IsNaN(currentScore); i++, temperature *= Cooling)
        {
            var neighbour = SequentialSearch.Flip(current, random.Next(slots));
            if (!neighbour.Any(b => b))
                continue;
            double s = score([neighbour])[0];
            if (double.IsNaN(s))
                return;
            if (s >= currentScore || random.NextDouble() < Math.Exp((s - currentScore) / temperature))
            {
                current = neighbour;
                currentScore = s;
            }
        }
    }
}
