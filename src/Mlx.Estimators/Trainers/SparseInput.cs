namespace Mlx.Estimators;

/// <summary>How the trainer holds the feature rows in memory and feeds them to the first Dense layer.</summary>
public enum SparseInput
{
    /// <summary>
    /// Sparse when the first layer is Dense and at most 5 % of the values of the first 256 rows are non-zero (bags of
    /// words, one-hot codes); dense otherwise.
    /// </summary>
    Auto,

    /// <summary>
    /// Rows held as their non-zero values only; the first Dense layer multiplies only those (its cost and the memory
    /// grow with the non-zeros, not with the feature count). Needs the first layer to be Dense.
    /// </summary>
    Sparse,

    /// <summary>Rows held as one dense tensor, multiplied by dense matrix products.</summary>
    Dense,
}
