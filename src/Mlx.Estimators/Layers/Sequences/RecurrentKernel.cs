namespace Mlx.Estimators;

/// <summary>
/// A recurrence Mlx runs itself over one batch (<see cref="GruKernel"/>, <see cref="LstmKernel"/>): forward, then
/// backward with the values the forward pass saved, on float spans. See <see cref="RecurrentKernelFunction"/>.
/// </summary>
internal abstract class RecurrentKernel
{
    /// <summary>Gate blocks in the weights (3 for the GRU, 4 for the LSTM).</summary>
    public abstract int Gates { get; }

    /// <summary>
    /// Runs the recurrence over <paramref name="inputTerms"/> (rows, steps, gates·units) = x·W_ihᵀ + b_ih with W_hh
    /// (gates·units, units) and b_hh; writes every step's output to <paramref name="outputs"/> (rows, steps, units).
    /// </summary>
    public abstract void Forward(ReadOnlySpan<float> inputTerms, float[] recurrentWeight, float[] recurrentBias, Span<float> outputs);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (rows, steps, units): writes the gradient of the input terms
    /// (rows, steps, gates·units) and adds those of W_hh and b_hh.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<float> outputGradient, float[] recurrentWeight, Span<float> inputTermGradient, float[] weightGradient, float[] biasGradient);

    /// <summary>Returns the saved arrays to the pool (after the backward pass, or at once when no gradient is wanted).</summary>
    public abstract void Release();
}
