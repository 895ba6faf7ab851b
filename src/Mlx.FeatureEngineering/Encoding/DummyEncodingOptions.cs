namespace Mlx.FeatureEngineering;

/// <summary>Which category of each slot gets no indicator (the reference level).</summary>
public enum DummyDrop
{
    /// <summary>Keep every category (plain one-hot).</summary>
    None = 0,

    /// <summary>Drop the first category (scikit-learn's <c>drop='first'</c>): the smallest, or the first key.</summary>
    First = 1,

    /// <summary>Drop the first category only of slots with exactly two categories (<c>drop='if_binary'</c>).</summary>
    IfBinary = 2,
}

/// <summary>What a category not seen in training does at transform time.</summary>
public enum UnknownCategory
{
    /// <summary>Throw, naming the column, slot and value.</summary>
    Error = 0,

    /// <summary>Write all zeros for that slot (scikit-learn's <c>handle_unknown='ignore'</c>).</summary>
    AllZeros = 1,

    /// <summary>
    /// Count it as the slot's infrequent category when <see cref="DummyEncodingOptions.MinimumFrequency"/> grouped
    /// some, else write all zeros (scikit-learn's <c>handle_unknown='infrequent_if_exist'</c>): a level too rare to
    /// learn from and a level never seen are alike.
    /// </summary>
    Infrequent = 2,
}

/// <summary>Options of <see cref="DummyEncodingEstimator"/>.</summary>
public sealed class DummyEncodingOptions
{
    /// <summary>The column to write (a vector of Single indicators).</summary>
    public required string OutputColumnName { get; init; }

    /// <summary>The column to read: text, key or number, scalar or known-size vector; defaults to <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; init; }

    /// <summary>Which category to drop (ignored when <see cref="ReferenceLevel"/> is set).</summary>
    public DummyDrop Drop { get; init; } = DummyDrop.First;

    /// <summary>A category to drop in every slot, written as it appears in the data (text as is, numbers in invariant culture, key values by name).</summary>
    public string? ReferenceLevel { get; init; }

    /// <summary>What unseen categories do at transform time.</summary>
    public UnknownCategory Unknown { get; init; } = UnknownCategory.Error;

    /// <summary>
    /// Categories with fewer training rows than this are grouped into one infrequent category per slot, the slot's last
    /// indicator, named <c>column=infrequent_sklearn</c> (scikit-learn's <c>min_frequency</c> as a count); 1 (default)
    /// groups none. Text and number columns (keys: map them back to their values first).
    /// </summary>
    public int MinimumFrequency { get; init; } = 1;
}
