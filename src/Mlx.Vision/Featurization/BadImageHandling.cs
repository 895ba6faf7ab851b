namespace Mlx.Vision;

/// <summary>What <c>FeaturizeImage</c> does with an image that cannot be read (a corrupt, empty or missing file).</summary>
public enum BadImageHandling
{
    /// <summary>Stop with an error naming the row, the file and the fix (the default).</summary>
    Fail = 0,

    /// <summary>
    /// Output a feature vector of NaN for that row and log a warning naming it; drop such rows afterwards with
    /// <c>mlContext.Data.FilterRowsByMissingValues(data, featureColumn)</c>.
    /// </summary>
    MissingFeatures = 1,
}
