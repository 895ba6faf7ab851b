using System.Text.Json;
using Microsoft.ML;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>
/// What the training data of a feature column looked like, for monitoring the data a model later scores: per slot the
/// missing rate, quantile bins with the reference's shares and a sorted sample (every value up to
/// <c>sampleSize</c> rows, else a uniform reservoir sample of rows). Built in one streamed pass; saved as JSON;
/// <see cref="Compare"/> measures drift against new data.
/// </summary>
public sealed class FeatureProfile
{
    /// <summary>The profiled column.</summary>
    public string FeatureColumnName { get; init; } = "";

    /// <summary>Rows read.</summary>
    public long Rows { get; init; }

    /// <summary>The profile of each slot.</summary>
    public IReadOnlyList<SlotProfile> Slots { get; init; } = [];

    /// <summary>The category frequencies of each categorical column profiled (text or key columns).</summary>
    public IReadOnlyList<CategoryProfile> Categories { get; init; } = [];

    /// <summary>
    /// Profiles <paramref name="featureColumnName"/> of <paramref name="data"/> in one pass: up to
    /// <paramref name="sampleSize"/> rows kept (reservoir sampling, seeded), <paramref name="bins"/> quantile bins.
    /// </summary>
    /// <param name="data">The training data.</param>
    /// <param name="featureColumnName">A Single or known-size vector of Single column; empty when the data have none and only <paramref name="categoricalColumns"/> are profiled.</param>
    /// <param name="sampleSize">Rows kept for the Kolmogorov–Smirnov test.</param>
    /// <param name="bins">Quantile bins for PSI and Jensen–Shannon.</param>
    /// <param name="seed">Seed of the reservoir.</param>
    /// <param name="categoricalColumns">Text or key columns whose category frequencies are profiled too.</param>
    public static FeatureProfile Create(IDataView data, string featureColumnName = "Features", int sampleSize = 100_000, int bins = 10, int seed = 0,
        IReadOnlyList<string>? categoricalColumns = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (sampleSize < 10 || bins < 2)
            throw new ArgumentOutOfRangeException(nameof(sampleSize), $"sample {sampleSize}, bins {bins}", "Keep at least 10 rows and 2 bins.");
        if (string.IsNullOrEmpty(featureColumnName) && (categoricalColumns ?? []).Count == 0)
            throw new ArgumentException("Name a numeric feature column or categorical columns to profile.", nameof(featureColumnName));
        var (sample, rows, missing, names) = ReadSample(data, featureColumnName, sampleSize, seed);
        if (rows == 0)
            throw MlxError.CannotFit("the data", "it has no rows", "Profile the training data.");
        int d = names.Length;
        var slots = new SlotProfile[d];
        Parallel.For(0, d, j =>
        {
            var values = Column(sample, d, j);
            var edges = values.Length == 0 ? [] : Enumerable.Range(1, bins - 1).Select(b => Quantile(values, (double)b / bins)).Distinct().ToArray();
            slots[j] = new SlotProfile
            {
                Name = names[j],
                MissingRate = (double)missing[j] / rows,
                Edges = edges,
                Shares = DriftStatistics.Shares(values, edges),
                Quantiles = values.Length == 0 ? [] : new[] { 0, 0.05, 0.25, 0.5, 0.75, 0.95, 1 }.Select(q => Quantile(values, q)).ToArray(),
                Sample = values,
            };
        });
        var categories = (categoricalColumns ?? []).Select(c => CategoryProfile.Read(data, c)).ToArray();
        return new FeatureProfile { FeatureColumnName = featureColumnName, Rows = rows, Slots = slots, Categories = categories };
    }

    /// <summary>
    /// Drift of <paramref name="data"/> against this profile, slot by slot: population stability index and Jensen–Shannon
    /// distance over the profile's bins, two-sample Kolmogorov–Smirnov statistic and p-value against the profile's sample,
    /// missing-rate change. A slot drifts when its PSI reaches <paramref name="psiThreshold"/> (0.2: "major shift") and is
    /// beyond sampling noise (its χ² p-value, <see cref="DriftStatistics.PopulationStabilityPValue"/>, below
    /// <paramref name="pValueThreshold"/>: small samples reach 0.2 by chance), or its KS p-value falls below <paramref name="pValueThreshold"/>; a categorical column (see <c>categoricalColumns</c>) by its
    /// PSI over the categories; any of them when its missing share changes by <paramref name="missingRateThreshold"/> or
    /// more (0.1: ten percentage points, e.g. a feed that stopped filling 30 % of a column). Ordered by <paramref name="importance"/> (e.g. selection scores or permutation importance,
    /// one per slot; categorical columns last) when given, else by PSI.
    /// </summary>
    public DriftReport Compare(IDataView data, IReadOnlyList<double>? importance = null, double psiThreshold = 0.2, double pValueThreshold = 0.01, int sampleSize = 100_000, int seed = 1,
        double missingRateThreshold = 0.1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(missingRateThreshold > 0 && missingRateThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(missingRateThreshold), missingRateThreshold, "Give the missing-rate change that counts as drift as a share in (0, 1], e.g. 0.1.");
        // PSI and KS compare the values present: a column going missing changes neither, so its missing share is compared too.
        bool MissingDrift(double then, double now) => Math.Abs(now - then) >= missingRateThreshold;
        // PSI over the threshold counts only beyond sampling noise (the χ² test of the rows present on each side).
        bool PsiDrift(double psi, int bins, double referenceMissing, long present) =>
            psi >= psiThreshold && DriftStatistics.PopulationStabilityPValue(psi, bins, (long)Math.Round(Rows * (1 - referenceMissing)), present) < pValueThreshold;
        var (sample, rows, missing, names) = ReadSample(data, FeatureColumnName, sampleSize, seed);
        if (rows == 0)
            throw new ArgumentException("The data to compare has no rows: drift needs new rows to compare with the profile (check the file or any filter before Compare).", nameof(data));
        int d = Slots.Count;
        if (names.Length != d)
            throw MlxError.WrongColumnType(FeatureColumnName, $"{d} slots as profiled", $"{names.Length} slots", "Compare data transformed by the same pipeline as the profiled data.");
        if (importance != null && importance.Count != d)
            throw new ArgumentException($"Give one importance per slot ({d}), not {importance.Count}.", nameof(importance));
        var drifts = new SlotDrift[d];
        Parallel.For(0, d, j =>
        {
            var profile = Slots[j];
            var current = Column(sample, d, j);
            var shares = DriftStatistics.Shares(current, profile.Edges);
            var (ks, p) = current.Length > 0 && profile.Sample.Length > 0 ? DriftStatistics.KolmogorovSmirnov(profile.Sample, current) : (double.NaN, double.NaN);
            double psi = DriftStatistics.PopulationStability(profile.Shares, shares);
            double missingRate = rows == 0 ? double.NaN : (double)missing[j] / rows;
            drifts[j] = new SlotDrift(j, profile.Name, psi, ks, p, DriftStatistics.JensenShannon(profile.Shares, shares), profile.MissingRate, missingRate,
                importance?[j], PsiDrift(psi, profile.Shares.Length, profile.MissingRate, rows - missing[j]) || p < pValueThreshold || MissingDrift(profile.MissingRate, missingRate));
        });
        // Categorical columns: PSI and Jensen–Shannon over the categories (a category unseen in training counts in full).
        var categoryDrifts = Categories.Select((profile, k) =>
        {
            var current = CategoryProfile.Read(data, profile.Name);
            var names = profile.Frequencies.Keys.Union(current.Frequencies.Keys).Order(StringComparer.Ordinal).ToArray();
            var expected = names.Select(n => profile.Frequencies.GetValueOrDefault(n)).ToArray();
            var actual = names.Select(n => current.Frequencies.GetValueOrDefault(n)).ToArray();
            double psi = DriftStatistics.PopulationStability(expected, actual);
            return new SlotDrift(d + k, profile.Name, psi, double.NaN, double.NaN, DriftStatistics.JensenShannon(expected, actual), profile.MissingRate, current.MissingRate,
                null, PsiDrift(psi, names.Length, profile.MissingRate, (long)Math.Round(rows * (1 - current.MissingRate))) || MissingDrift(profile.MissingRate, current.MissingRate));
        });
        var all = drifts.Concat(categoryDrifts).ToArray();
        var ordered = importance != null ? all.OrderByDescending(s => s.Importance ?? double.NegativeInfinity) : all.OrderByDescending(s => s.PopulationStabilityIndex);
        return new DriftReport(rows, ordered.ToArray(), psiThreshold, pValueThreshold, missingRateThreshold);
    }

    /// <summary>Writes the profile as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Reads a profile written by <see cref="Save"/>; a damaged file names what is wrong.</summary>
    public static FeatureProfile Load(string path)
    {
        FeatureProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<FeatureProfile>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a feature profile written by FeatureProfile.Save: {e.Message}", e);
        }
        if (profile is null || (profile.Slots.Count == 0 && profile.Categories.Count == 0) || profile.Slots.Any(s => s.Shares.Length != s.Edges.Length + 1) || profile.Categories.Any(c => c.Frequencies is null))
            throw new InvalidDataException($"'{path}' is not a complete feature profile (missing slots or bins).");
        if (Inconsistency(profile) is { } problem)
            throw new InvalidDataException($"'{path}' is damaged: {problem}. Profile the training data again (FeatureProfile.Create / 'mlx profile').");
        return profile;
    }

    // What Create never writes: counts below zero, edges out of order, shares or rates outside [0, 1] or not summing to 1.
    private static string? Inconsistency(FeatureProfile profile)
    {
        static bool IsShare(double v) => v is >= 0 and <= 1;
        static bool SumsToOne(IEnumerable<double> shares) => Math.Abs(shares.Sum() - 1) < 1e-6;
        if (profile.Rows < 0)
            return $"it counts {profile.Rows} rows";
        foreach (var slot in profile.Slots)
        {
            if (!IsShare(slot.MissingRate))
                return $"slot '{slot.Name}' has a missing rate of {MlxError.Show(slot.MissingRate)}";
            for (int b = 1; b < slot.Edges.Length; b++)
            {
                if (!(slot.Edges[b] > slot.Edges[b - 1]))
                    return $"slot '{slot.Name}' has bin edges out of order ({MlxError.Show(slot.Edges[b - 1])} then {MlxError.Show(slot.Edges[b])})";
            }
            if (!slot.Shares.All(IsShare) || (slot.Sample.Length > 0 && !SumsToOne(slot.Shares)))
                return $"slot '{slot.Name}' has bin shares that are not a distribution ({string.Join(", ", slot.Shares.Select(MlxError.Show))})";
        }
        foreach (var category in profile.Categories)
        {
            if (!IsShare(category.MissingRate) || !category.Frequencies.Values.All(IsShare) || (category.Frequencies.Count > 0 && !SumsToOne(category.Frequencies.Values)))
                return $"categorical column '{category.Name}' has frequencies or a missing rate that are not shares";
        }
        return null;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    // Row-level reservoir (Algorithm R): up to `size` rows, values row-major; NaN kept in place, counted as missing.
    private static (float[] Sample, long Rows, long[] Missing, string[] Names) ReadSample(IDataView data, string name, int size, int seed)
    {
        if (string.IsNullOrEmpty(name))
        {
            // Categories only: the rows are counted, no slot is read.
            long count = 0;
            using var rowsOnly = data.GetRowCursor([]);
            while (rowsOnly.MoveNext())
                count++;
            return ([], count, [], []);
        }
        var column = SlotColumn.Resolve(data.Schema, name, "featureColumnName");
        int d = column.SlotCount;
        var names = Enumerable.Range(0, d).Select(j => column.SlotName(j) ?? (column.IsVector ? $"{name}[{j}]" : name)).ToArray();
        var missing = new long[d];
        // Row-major, grown as rows arrive (no array per row): the data's row count may be unknown.
        var sample = new float[Math.Min(size, 1024) * d];
        int kept = 0;
        var random = new Random(seed);
        long rows = 0;
        using var cursor = data.GetRowCursor([data.Schema[name]]);
        var read = DenseRowReader.Create<float>(cursor, data.Schema[name], column.IsVector, d);
        while (cursor.MoveNext())
        {
            var x = read();
            for (int j = 0; j < d; j++)
            {
                if (float.IsNaN(x[j]))
                    missing[j]++;
                else if (!float.IsFinite(x[j]))
                    throw MlxError.BadValue(MlxError.Where(name, j, row: rows), x[j], "profiles need finite values (NaN counts as missing)", "Clip or drop infinite values first.");
            }
            if (kept < size)
            {
                if ((kept + 1) * d > sample.Length)
                    Array.Resize(ref sample, Math.Min(size, 2 * kept) * d);
                x.CopyTo(sample.AsSpan(kept++ * d, d));
            }
            else
            {
                long slot = random.NextInt64(rows + 1);
                if (slot < size)
                    x.CopyTo(sample.AsSpan((int)slot * d, d));
            }
            rows++;
        }
        Array.Resize(ref sample, kept * d);
        return (sample, rows, missing, names);
    }

    // Slot j's non-missing values of a row-major sample, sorted.
    private static float[] Column(float[] sample, int d, int j)
    {
        var values = new List<float>(sample.Length / d);
        for (int i = j; i < sample.Length; i += d)
        {
            if (!float.IsNaN(sample[i]))
                values.Add(sample[i]);
        }
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }

    // numpy's linear quantile of sorted values.
    private static double Quantile(float[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        return below + 1 >= sorted.Length ? sorted[^1] : sorted[below] + (position - below) * ((double)sorted[below + 1] - sorted[below]);
    }
}
