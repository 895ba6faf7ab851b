using System.Diagnostics;
using Microsoft.ML;

namespace Mlx.Workflow;

/// <summary>
/// Permutation importance of the final model's input columns on the test rows (scikit-learn's
/// <c>permutation_importance</c> on a pipeline): each column's values are shuffled across the rows, the whole model
/// (preparation included) scores them again, and the column's importance is how much the test metric worsens, as a
/// mean and SD over <see cref="Repeats"/> shuffles. Model-agnostic, and on the columns a user knows (not on one-hot
/// or TF-IDF slots). A column featurized once before the preparation (images: their ResNet features) is shuffled as
/// its features, which is the same shuffle without decoding every image again. Stops, with a note, when the time it
/// would take exceeds the time it is given.
/// </summary>
internal static class PermutationImportance
{
    /// <summary>Shuffles per column (scikit-learn's default is 5; 3 keeps the cost down for wide data).</summary>
    public const int Repeats = 3;

    /// <param name="model">The scoring model (raw columns in, the head's scored columns out).</param>
    /// <param name="rows">The test rows with the training-time label (positional, re-iterable).</param>
    /// <param name="columns">The input columns to score, each with the column of <paramref name="rows"/> to shuffle for it (itself, or its features).</param>
    /// <param name="metric">The test metric of scored rows.</param>
    /// <param name="higherIsBetter">The metric's direction.</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <param name="seconds">Time it may take.</param>
    public static (IReadOnlyList<ColumnImportance> Importance, string? Note) Compute(ITransformer model, IDataView rows, IReadOnlyList<(string Name, string Shuffled)> columns,
        Func<IDataView, double> metric, bool higherIsBetter, int seed, double seconds)
    {
        var watch = Stopwatch.StartNew();
        double reference = metric(model.Transform(rows));
        int n = (int)(rows.GetRowCount() ?? throw new ArgumentException("Permutation importance needs positional rows of a known count.", nameof(rows)));
        var scorable = columns.Where(c => PermutedColumnView.Supports(rows.Schema[c.Shuffled].Type)).ToArray();
        var random = new Random(seed);
        var importance = new List<ColumnImportance>();
        foreach (var (column, shuffled) in scorable)
        {
            // One scoring took this long: stop before the next column would overrun.
            double perScoring = watch.Elapsed.TotalSeconds / (1 + importance.Count * Repeats);
            if (watch.Elapsed.TotalSeconds + perScoring * Repeats > seconds)
                return (Sorted(importance), $"computed for {importance.Count} of {scorable.Length} columns: the rest would exceed the {seconds:0} s left of the budget");
            var drops = new double[Repeats];
            for (int r = 0; r < Repeats; r++)
            {
                var permutation = Enumerable.Range(0, n).ToArray();
                random.Shuffle(permutation);
                double value = metric(model.Transform(new PermutedColumnView(rows, shuffled, permutation)));
                drops[r] = higherIsBetter ? reference - value : value - reference;
            }
            double mean = drops.Average();
            importance.Add(new ColumnImportance(column, mean, Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / (Repeats - 1))));
        }
        var skipped = columns.Except(scorable).Select(c => c.Name).ToArray();
        return (Sorted(importance), skipped.Length == 0 ? null : $"not computed for {string.Join(", ", skipped.Select(s => $"'{s}'"))} (column type)");
    }

    private static IReadOnlyList<ColumnImportance> Sorted(List<ColumnImportance> importance) =>
        importance.OrderByDescending(i => i.Drop).ThenBy(i => i.Column, StringComparer.Ordinal).ToArray();
}
