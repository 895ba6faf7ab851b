using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Which time steps of the current batch are real (Keras' mask): an <see cref="EmbeddingLayer"/> built with
/// <c>maskZero</c> sets it from the token ids in its forward pass (id 0 is padding), and the recurrent layers after it read
/// it in the same pass, so padded steps leave their state unchanged. One object per built network, shared by the layers
/// between the embedding and the first layer that does not carry a mask (see <see cref="Layer.CarriesMask"/>); the
/// network's forward pass is never run concurrently (scoring holds a lock).
/// </summary>
internal sealed class SequenceMask
{
    /// <summary>(batch, timesteps) booleans, true for real steps; set by the embedding for the pass under way.</summary>
    public Tensor? Current { get; set; }
}
