using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;

namespace Mlx.Workflow;

/// <summary>
/// The feature profile of a data set's input columns for drift monitoring: its numeric columns as the slots of one
/// vector (slot names = column names) and its categorical columns' frequencies, with <see cref="FeatureProfile"/>.
/// New data are compared column by column by name, so their column order does not matter.
/// </summary>
public static class TrainingProfile
{
    private const string NumericColumn = "MlxNumericFeatures";

    /// <summary>Profiles the numeric and categorical columns of the data (kinds from the workflow's inspection), leaving out the given columns; either kind alone is enough.</summary>
    public static FeatureProfile Create(MLContext ml, IDataView data, IReadOnlyCollection<string> leaveOut, int seed = 1)
    {
        var columns = DataInspection.Inspect(data, leaveOut.ToHashSet(), useRow: null);
        var numeric = columns.Where(c => c.Kind == ColumnKind.Numeric && c.Type == "Single").Select(c => c.Name).ToArray();
        var categorical = columns.Where(c => c.Kind == ColumnKind.Categorical && c.Type == "String").Select(c => c.Name).ToArray();
        if (numeric.Length == 0 && categorical.Length == 0)
            throw new InvalidOperationException("The data have no numeric or categorical column to profile (drift monitoring compares their distributions; free text and images are not profiled).");
        return FeatureProfile.Create(WithNumericVector(ml, data, numeric), numeric.Length == 0 ? "" : NumericColumn, seed: seed, categoricalColumns: categorical);
    }

    /// <summary>
    /// Profiles only the given rows (0-based positions, e.g. a workflow's training rows: its test rows are new data to the
    /// model), read in place from a source that returns its rows in the same order on every pass (a text loader).
    /// </summary>
    public static FeatureProfile Create(MLContext ml, IDataView data, IReadOnlyCollection<string> leaveOut, IReadOnlyCollection<int> rows, int seed = 1)
    {
        const string unused = "__mlx_profile_unused";
        var positions = rows.Order().ToArray();
        // RowSubsetView selects rows by position and carries a training label; this one is a constant nobody reads.
        var subset = new RowSubsetView(data, positions, unused, NumberDataViewType.Single, new float[positions.Length == 0 ? 0 : positions[^1] + 1]);
        return Create(ml, subset, [.. leaveOut, unused], seed);
    }

    /// <summary>The drift of new data against a profile made by <c>Create</c>.</summary>
    public static DriftReport Compare(MLContext ml, FeatureProfile profile, IDataView data)
    {
        var missing = profile.Slots.Select(s => s.Name).Concat(profile.Categories.Select(c => c.Name)).Where(n => data.Schema.GetColumnOrNull(n) is null).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"The new data lack the profiled column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}: monitor data with the training data's columns.");
        return profile.Compare(WithNumericVector(ml, data, profile.Slots.Select(s => s.Name).ToArray()));
    }

    /// <summary>Whether columns of these kinds can be profiled: a numeric (Single) or categorical (text) one.</summary>
    public static bool CanProfile(IEnumerable<ColumnSummary> features) =>
        features.Any(c => (c.Kind == ColumnKind.Numeric && c.Type == "Single") || (c.Kind == ColumnKind.Categorical && c.Type == "String"));

    private static IDataView WithNumericVector(MLContext ml, IDataView data, string[] numeric) =>
        numeric.Length == 0 ? data : ml.Transforms.Concatenate(NumericColumn, numeric).Fit(data).Transform(data);
}
