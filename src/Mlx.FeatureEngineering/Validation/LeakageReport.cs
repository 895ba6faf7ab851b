using System.Globalization;
using System.Text;

namespace Mlx.FeatureEngineering;

/// <summary>A test row that (nearly) repeats a training row: both row numbers and their Euclidean distance (0: an exact duplicate).</summary>
public sealed record SharedRow(long TestRow, long TrainRow, double Distance);

/// <summary>
/// Rows of evaluation data that also appear in the training data (the book's "data redundancy" pitfall, 4.2.4): exact
/// duplicates of the chosen feature column and near duplicates within a distance.
/// </summary>
public sealed class LeakageReport
{
    internal LeakageReport(long trainRows, long testRows, double distance, IReadOnlyList<SharedRow> shared)
    {
        TrainRows = trainRows;
        TestRows = testRows;
        MaximumDistance = distance;
        Shared = shared;
    }

    /// <summary>Training rows compared.</summary>
    public long TrainRows { get; }

    /// <summary>Evaluation rows compared.</summary>
    public long TestRows { get; }

    /// <summary>The distance up to which a test row counts as a near duplicate.</summary>
    public double MaximumDistance { get; }

    /// <summary>Every test row within the distance of a training row, with its nearest training row.</summary>
    public IReadOnlyList<SharedRow> Shared { get; }

    /// <summary>The exact duplicates among <see cref="Shared"/>.</summary>
    public IEnumerable<SharedRow> ExactDuplicates => Shared.Where(s => s.Distance == 0);

    /// <summary>The share of evaluation rows that repeat a training row.</summary>
    public double Fraction => TestRows == 0 ? 0 : (double)Shared.Count / TestRows;

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Shared.Count:N0} of {TestRows:N0} evaluation rows ({100 * Fraction:F1} %) repeat one of {TrainRows:N0} training rows " +
            $"({ExactDuplicates.Count():N0} exactly, the rest within distance {MaximumDistance:G4})");
        foreach (var s in Shared.Take(20))
            text.AppendLine(CultureInfo.InvariantCulture, $"  test row {s.TestRow} ~ training row {s.TrainRow} (distance {s.Distance:G4})");
        if (Shared.Count > 20)
            text.AppendLine(CultureInfo.InvariantCulture, $"  ... {Shared.Count - 20:N0} more");
        return text.ToString();
    }
}
