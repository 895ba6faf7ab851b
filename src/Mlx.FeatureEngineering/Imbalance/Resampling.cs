namespace Mlx.FeatureEngineering;

/// <summary>
/// How <see cref="ResamplingCatalog.Resample"/> rebalances the classes of training data (imbalanced-learn's samplers).
/// With <c>ratio</c> null every class is brought to the majority's count (over-sampling) or the minority's
/// (under-sampling), imbalanced-learn's "auto"; a ratio r brings each other class to r × the majority's count
/// (over-sampling, never fewer rows than it has) or the majority down to the minority's count / r (under-sampling).
/// </summary>
public abstract record Resampling
{
    private protected Resampling(double? ratio)
    {
        if (ratio is double r && !(r > 0 && r <= 1))
            throw new ArgumentOutOfRangeException(nameof(ratio), r, "The ratio of a class to the majority (or minority) class must be in (0, 1].");
        Ratio = ratio;
    }

    /// <summary>The requested class ratio, or null for balanced classes.</summary>
    public double? Ratio { get; }

    /// <summary>Duplicates random rows of the smaller classes (imbalanced-learn's <c>RandomOverSampler</c>).</summary>
    public static Resampling RandomOver(double? ratio = null) => new RandomOverSampling(ratio);

    /// <summary>Keeps a random subset of the larger classes' rows (imbalanced-learn's <c>RandomUnderSampler</c>).</summary>
    public static Resampling RandomUnder(double? ratio = null) => new RandomUnderSampling(ratio);

    /// <summary>
    /// SMOTE for mixed data (imbalanced-learn's <c>SMOTENC</c>): the slots in <paramref name="categoricalSlots"/> hold
    /// category codes. Neighbours by Euclidean distance over the continuous slots plus, per categorical slot whose codes
    /// differ, half the squared median standard deviation of the minority class's continuous slots (imbalanced-learn's
    /// scaled one-hot encoding); continuous slots interpolated as SMOTE does; each categorical slot takes the most frequent
    /// code among the row's k neighbours (ties: the smallest code, where imbalanced-learn draws at random).
    /// </summary>
    public static Resampling SmoteNc(IReadOnlyList<int> categoricalSlots, int neighbors = 5, double? ratio = null)
    {
        ArgumentNullException.ThrowIfNull(categoricalSlots);
        if (categoricalSlots.Count == 0)
            throw new ArgumentException("Name at least one categorical slot (for continuous data only, use Resampling.Smote).", nameof(categoricalSlots));
        return neighbors >= 1 ? new SmoteNcSampling(categoricalSlots.Distinct().Order().ToArray(), neighbors, ratio)
            : throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors, "SMOTE-NC needs at least one neighbour.");
    }

    /// <summary>
    /// Removes the rows of Tomek links that belong to any class but the minority (imbalanced-learn's <c>TomekLinks</c>): two
    /// rows of different classes, each the other's nearest row. A cleaning step: it thins the class boundary, it does not
    /// balance the counts. Deterministic.
    /// </summary>
    public static Resampling TomekLinks() => new TomekLinksSampling();

    /// <summary>
    /// Synthesises rows of the smaller classes on segments between a row and one of its <paramref name="neighbors"/> nearest
    /// rows of the same class (imbalanced-learn's <c>SMOTE</c>: the row and neighbour drawn uniformly, the point uniformly on
    /// the segment). Features must be numeric and on comparable scales (distances are Euclidean).
    /// </summary>
    public static Resampling Smote(int neighbors = 5, double? ratio = null) =>
        neighbors >= 1 ? new SmoteSampling(neighbors, ratio) : throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors, "SMOTE needs at least one neighbour.");
}

/// <summary>Random over-sampling; see <see cref="Resampling.RandomOver"/>.</summary>
public sealed record RandomOverSampling(double? RequestedRatio) : Resampling(RequestedRatio);

/// <summary>Random under-sampling; see <see cref="Resampling.RandomUnder"/>.</summary>
public sealed record RandomUnderSampling(double? RequestedRatio) : Resampling(RequestedRatio);

/// <summary>SMOTE-NC; see <see cref="Resampling.SmoteNc"/>.</summary>
public sealed record SmoteNcSampling(IReadOnlyList<int> CategoricalSlots, int Neighbors, double? RequestedRatio) : Resampling(RequestedRatio);

/// <summary>Tomek-link cleaning; see <see cref="Resampling.TomekLinks"/>.</summary>
public sealed record TomekLinksSampling() : Resampling((double?)null);

/// <summary>SMOTE; see <see cref="Resampling.Smote"/>.</summary>
public sealed record SmoteSampling(int Neighbors, double? RequestedRatio) : Resampling(RequestedRatio);
