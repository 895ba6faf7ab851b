namespace Mlx.Core.Batching;

/// <summary>
/// Changes each training batch in place before the network sees it — new random variants every epoch, the book's
/// small-data recipe — and never validation data or scoring. Mlx.Estimators calls it; Mlx.Vision's
/// <c>ImageBatchAugmentation</c> implements Keras-style image augmentation with it (Estimators does not depend on Vision).
/// </summary>
public interface IBatchAugmentation
{
    /// <summary>Augments <paramref name="rows"/> examples stored one after another in <paramref name="batch"/>.</summary>
    /// <param name="batch">The examples, each <paramref name="exampleShape"/> values in row-major order (channels first).</param>
    /// <param name="rows">The number of examples.</param>
    /// <param name="exampleShape">The shape of one example, e.g. (3, 64, 64).</param>
    /// <param name="random">The training run's random source for this epoch (seeded: a seed fixes the variants).</param>
    void Augment(Span<float> batch, int rows, IReadOnlyList<int> exampleShape, Random random);
}
