namespace Mlx.FeatureEngineering;

/// <summary>How bin edges are chosen (scikit-learn's <c>KBinsDiscretizer(strategy=...)</c>).</summary>
public enum BinningStrategy
{
    /// <summary>Equal-width bins between the slot's minimum and maximum.</summary>
    Uniform = 0,

    /// <summary>Equal-frequency bins: edges at the quantiles (linear interpolation, as <c>np.percentile</c>).</summary>
    Quantile = 1,

    /// <summary>1-D k-means from uniform initial centres; edges at the midpoints of neighbouring centres.</summary>
    KMeans = 2,
}

/// <summary>How a bin is written (scikit-learn's <c>KBinsDiscretizer(encode=...)</c>).</summary>
public enum BinEncoding
{
    /// <summary>The bin index as a Single (same shape as the input).</summary>
    Ordinal = 0,

    /// <summary>One indicator per bin of every slot, concatenated (a vector with one slot name per bin).</summary>
    OneHot = 1,
}
