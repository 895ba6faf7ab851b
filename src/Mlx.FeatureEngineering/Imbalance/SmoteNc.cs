using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>SMOTE-NC's synthetic rows (see <see cref="Resampling.SmoteNc"/>).</summary>
internal static class SmoteNc
{
    public static void Generate<TLabel>(LabeledRows<TLabel> rows, int[] counts, SmoteNcSampling nc, string labelColumnName, Random random,
        ResampledRows<TLabel> output, IEnumerable<(int Class, int Extra)> extra)
    {
        int d = rows.Dimension;
        if (nc.CategoricalSlots.Any(j => j < 0 || j >= d))
            throw new ArgumentOutOfRangeException(nameof(nc), $"categorical slots [{string.Join(", ", nc.CategoricalSlots)}]", $"The feature vector has slots 0 to {d - 1}.");
        var categorical = new bool[d];
        foreach (int j in nc.CategoricalSlots)
            categorical[j] = true;
        var continuous = Enumerable.Range(0, d).Where(j => !categorical[j]).ToArray();
        if (continuous.Length == 0)
            throw new ArgumentException("Every slot is categorical: SMOTE-NC needs continuous slots to interpolate.", nameof(nc));
        // imbalanced-learn: the median over continuous slots of their standard deviation in the minority class.
        var minority = rows.RowsOf[Array.IndexOf(counts, counts.Min())];
        var stds = continuous.Select(j =>
        {
            double mean = minority.Average(i => (double)rows.Features[i * d + j]);
            return Math.Sqrt(minority.Average(i => Math.Pow(rows.Features[i * d + j] - mean, 2)));
        }).Order().ToArray();
        double median = stds.Length % 2 == 1 ? stds[stds.Length / 2] : (stds[stds.Length / 2 - 1] + stds[stds.Length / 2]) / 2;
        // Codes of each categorical slot over all rows, for the one-hot encoding (scaled by median / 2).
        var codes = nc.CategoricalSlots.Select(j => Enumerable.Range(0, rows.Count).Select(i => rows.Features[i * d + j]).Distinct().Order().ToArray()).ToArray();
        int width = continuous.Length + codes.Sum(c => c.Length);
        foreach (var (c, count) in extra)
        {
            var members = rows.RowsOf[c];
            if (members.Length <= nc.Neighbors)
            {
                throw MlxError.CannotFit(labelColumnName, $"class {rows.ClassNames[c]} has {members.Length} rows, too few for {nc.Neighbors} neighbours each",
                    $"Use Resampling.SmoteNc(..., neighbors: {Math.Max(1, members.Length - 1)}) or fewer.");
            }
            var encoded = new float[members.Length * width];
            for (int m = 0; m < members.Length; m++)
            {
                var x = rows.Row(members[m]);
                int at = m * width;
                foreach (int j in continuous)
                    encoded[at++] = x[j];
                for (int k = 0; k < codes.Length; k++)
                {
                    int hot = Array.IndexOf(codes[k], x[nc.CategoricalSlots[k]]);
                    encoded[at + hot] = (float)(median / 2);
                    at += codes[k].Length;
                }
            }
            var neighbors = NearestNeighbors.Within(encoded, width, Enumerable.Range(0, members.Length).ToArray(), nc.Neighbors);
            for (int n = 0; n < count; n++)
            {
                int pick = random.Next(members.Length * nc.Neighbors);
                int local = pick / nc.Neighbors;
                int row = members[local], neighbor = members[neighbors[local][pick % nc.Neighbors]];
                float step = (float)random.NextDouble();
                var x = rows.Row(row);
                var y = rows.Row(neighbor);
                var point = output.Add(row);
                foreach (int j in continuous)
                    point[j] = x[j] + step * (y[j] - x[j]);
                // Each categorical slot: the most frequent code among the row's k neighbours (ties: the smallest code).
                foreach (int j in nc.CategoricalSlots)
                {
                    point[j] = neighbors[local].Select(p => rows.Features[members[p] * d + j])
                        .GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
                }
            }
        }
    }
}
