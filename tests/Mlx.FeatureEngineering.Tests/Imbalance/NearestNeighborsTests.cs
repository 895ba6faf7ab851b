using Xunit;

namespace Mlx.FeatureEngineering.Tests.Imbalance;

/// <summary>
/// The neighbour search (an approximate float32 scan that keeps a superset, then exact distances) against a plain
/// brute force written here — double-precision Σ (c − q)² over every pair, ties by position — on data chosen to break
/// the approximation: large offsets with tiny differences, columns of very different scales, exact duplicates and grid
/// ties, values whose float32 squares underflow, and sets whose size is not a multiple of the block width.
/// </summary>
public class NearestNeighborsTests
{
    private static int[][] BruteForce(float[] features, int dimension, int[] rows, int k)
    {
        var result = new int[rows.Length][];
        for (int i = 0; i < rows.Length; i++)
        {
            var distances = new List<(double Distance, int Position)>();
            for (int c = 0; c < rows.Length; c++)
            {
                if (c == i)
                    continue;
                double d = 0;
                for (int j = 0; j < dimension; j++)
                {
                    double e = (double)features[rows[c] * dimension + j] - features[rows[i] * dimension + j];
                    d += e * e;
                }
                distances.Add((d, c));
            }
            result[i] = distances.OrderBy(p => p.Distance).ThenBy(p => p.Position).Take(k).Select(p => p.Position).ToArray();
        }
        return result;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    public static TheoryData<string> Cases() => ["gaussian", "offset", "scales", "duplicates", "grid", "tiny", "huge"];

    private static float[] Make(string name, int n, int d, Random random)
    {
        var x = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i * d + j] = name switch
                {
                    "gaussian" => Gaussian(random),
                    // 1e6 + multiples of float32's spacing there (0.0625): distances of a few ulps, many ties.
                    "offset" => 1e6f + 0.0625f * random.Next(8),
                    // Column j in units of 10^(j − 3): the largest column dominates, the others still break ties.
                    "scales" => Gaussian(random) * MathF.Pow(10, j - 3),
                    // Each row repeated three times: distance 0 to two others, ties by position.
                    "duplicates" => Gaussian(new Random(i / 3 * 31 + j)),
                    "grid" => random.Next(3),
                    // Squares below float32's smallest number: only exact arithmetic tells these apart.
                    "tiny" => Gaussian(random) * 1e-25f,
                    "huge" => Gaussian(random) * 1e30f,
                    _ => throw new ArgumentException(name),
                };
            }
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Within_equals_a_double_precision_brute_force_with_ties_by_position(string name)
    {
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        // 203 rows (not a multiple of 4 queries or of 2 × the vector width), every second one in the set.
        const int n = 406, d = 7, k = 5;
        var features = Make(name, n, d, random);
        var rows = Enumerable.Range(0, n).Where(i => i % 2 == 1).ToArray();
        var expected = BruteForce(features, d, rows, k);
        var actual = NearestNeighbors.Within(features, d, rows, k);
        for (int i = 0; i < rows.Length; i++)
            Assert.True(expected[i].SequenceEqual(actual[i]), $"{name}, query {i}: expected [{string.Join(", ", expected[i])}], got [{string.Join(", ", actual[i])}]");
    }

    [Fact]
    public void One_neighbour_of_two_rows_and_k_neighbours_of_k_plus_one_rows_are_the_others()
    {
        var two = NearestNeighbors.Within([0f, 0f, 3f, 4f], 2, [0, 1], 1);
        Assert.Equal([1], two[0]);
        Assert.Equal([0], two[1]);
        var six = NearestNeighbors.Within(Enumerable.Range(0, 6).Select(i => (float)(i * i)).ToArray(), 1, Enumerable.Range(0, 6).ToArray(), 5);
        Assert.Equal([4, 3, 2, 1, 0], six[5]);
        Assert.Equal([1, 2, 3, 4, 5], six[0]);
    }
}
