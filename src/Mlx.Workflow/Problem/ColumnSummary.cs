namespace Mlx.Workflow;

/// <summary>One input column as the workflow saw it in the training and validation rows.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Kind">What it is to the workflow.</param>
/// <param name="Type">Its ML.NET type.</param>
/// <param name="Size">Values per row (1 for a scalar).</param>
/// <param name="MissingRate">Share of rows with a missing value (NaN or empty text).</param>
/// <param name="DistinctValues">Distinct non-missing values (counted up to 100,000).</param>
/// <param name="Skewness">Sample skewness of a numeric column (Fisher-Pearson g1), when defined.</param>
/// <param name="Reason">Why it has that kind, in words.</param>
public sealed record ColumnSummary(string Name, ColumnKind Kind, string Type, int Size, double MissingRate, int DistinctValues, double? Skewness, string Reason)
{
    /// <summary>Whether the column becomes features.</summary>
    public bool IsFeature => Kind is ColumnKind.Numeric or ColumnKind.NumericVector or ColumnKind.Categorical or ColumnKind.Text or ColumnKind.ImagePath or ColumnKind.Timestamp;

    /// <summary>Whether a numeric column is skewed enough (|g1| &gt; 1, more than 10 values) to get a Yeo-Johnson transform.</summary>
    public bool IsSkewed => Kind == ColumnKind.Numeric && Skewness is { } g && Math.Abs(g) > 1 && DistinctValues > 10;
}
