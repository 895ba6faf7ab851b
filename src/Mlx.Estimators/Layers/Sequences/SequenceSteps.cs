using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>Helpers over (batch, timesteps) padding masks shared by the recurrent modules.</summary>
internal static class SequenceSteps
{
    /// <summary>
    /// Each row's count of real steps when every row's real steps come first (padding at the end, as
    /// <c>VectorizeText</c> writes): then packed sequences can skip the padding. Null when some row has a hole.
    /// </summary>
    public static Tensor? PrefixLengths(Tensor mask)
    {
        var lengths = mask.sum(1, type: ScalarType.Int64);
        using var positions = arange(mask.shape[1], dtype: ScalarType.Int64);
        using var expected = positions.unsqueeze(0).lt(lengths.unsqueeze(1));
        using var same = expected.eq(mask).all();
        if (same.item<bool>())
            return lengths;
        lengths.Dispose();
        return null;
    }

    /// <summary>
    /// Reverses each row's real steps in place of time (the backward direction of <see cref="BidirectionalLayer"/>):
    /// rows of <paramref name="lengths"/> real steps reverse those and keep their padding at the end; without lengths the
    /// whole axis is flipped (a mask with holes is flipped with it). Applying it twice restores the order.
    /// </summary>
    public static Tensor Reverse(Tensor sequence, Tensor? lengths)
    {
        if (lengths is null)
            return sequence.flip(1);
        long timesteps = sequence.shape[1];
        using var positions = arange(timesteps, dtype: ScalarType.Int64).unsqueeze(0);
        using var last = lengths.unsqueeze(1) - 1;
        using var reversed = last - positions;
        using var inside = positions.lt(lengths.unsqueeze(1));
        using var index = where(inside, reversed, positions);
        using var expanded = index.unsqueeze(2).expand(sequence.shape[0], timesteps, sequence.shape[2]);
        return sequence.gather(1, expanded);
    }
}
