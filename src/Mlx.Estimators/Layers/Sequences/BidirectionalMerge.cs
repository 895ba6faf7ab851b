namespace Mlx.Estimators;

/// <summary>How <see cref="Layer.Bidirectional"/> combines its two directions (Keras' <c>merge_mode</c>).</summary>
public enum BidirectionalMerge : byte
{
    /// <summary>Forward outputs then backward outputs (twice the units); Keras' default.</summary>
    Concat,

    /// <summary>Element-wise sum.</summary>
    Sum,

    /// <summary>Element-wise product.</summary>
    Multiply,

    /// <summary>Element-wise mean.</summary>
    Average,
}
