using System.Buffers;
using System.Numerics.Tensors;

namespace Mlx.Estimators;

/// <summary>
/// A recurrence Mlx runs itself over one batch (<see cref="GruKernel"/>, <see cref="LstmKernel"/>): forward, then
/// backward with the values the forward pass saved, on float spans. See <see cref="RecurrentKernelFunction"/>. Holds what
/// both cells share: the batch's shape, each row's length, the recurrent dropout mask, the split of rows into parts and
/// the saved arrays, rented from the shared pool (a fresh 8 MB array per gate and batch costs more in page faults than the
/// recurrence, measured).
/// </summary>
internal abstract class RecurrentKernel
{
    private readonly List<float[]> _rented = [];

    /// <param name="rows">Rows of the batch.</param>
    /// <param name="steps">Time steps.</param>
    /// <param name="units">Units of the layer.</param>
    /// <param name="lengths">Real steps of each row (padding after them).</param>
    /// <param name="recurrentMask">(rows, units) recurrent dropout mask, or null.</param>
    /// <param name="threads">Threads to split the rows over.</param>
    protected RecurrentKernel(int rows, int steps, int units, int[] lengths, float[]? recurrentMask, int threads)
    {
        Rows = rows;
        Steps = steps;
        Units = units;
        Lengths = lengths;
        RecurrentMask = recurrentMask;
        Parts = RecurrentKernelMath.Parts(rows);
        Threads = threads;
    }

    /// <summary>Gate blocks in the weights (3 for the GRU, 4 for the LSTM).</summary>
    public abstract int Gates { get; }

    protected int Rows { get; }
    protected int Steps { get; }
    protected int Units { get; }
    protected int[] Lengths { get; }
    protected float[]? RecurrentMask { get; }
    protected int Parts { get; }
    protected int Threads { get; }

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
    public void Release()
    {
        foreach (var array in _rented)
            ArrayPool<float>.Shared.Return(array);
        _rented.Clear();
    }

    /// <summary>A pooled (steps × rows × units) array for values the backward pass reads.</summary>
    protected float[] Rent()
    {
        var array = ArrayPool<float>.Shared.Rent(Rows * Steps * Units);
        _rented.Add(array);
        return array;
    }

    /// <summary>
    /// Adds step <paramref name="t"/>'s output gradient to <paramref name="dh"/> (the rows first … last − 1 of a part) for
    /// the rows whose step is real: padded steps output a constant 0, so their output gradient goes nowhere.
    /// </summary>
    protected void AddOutputGradient(Span<float> dh, ReadOnlySpan<float> outputGradient, int first, int last, int t)
    {
        for (int row = first; row < last; row++)
        {
            if (t < Lengths[row])
            {
                var target = dh.Slice((row - first) * Units, Units);
                TensorPrimitives.Add(target, outputGradient.Slice((row * Steps + t) * Units, Units), target);
            }
        }
    }

    /// <summary>Zeroes, in every (rows × units) block of <paramref name="blocks"/>, the rows whose step <paramref name="t"/> is padding.</summary>
    protected void ClearPadding(Span<float> blocks, int first, int last, int t)
    {
        int n = (last - first) * Units;
        for (int row = first; row < last; row++)
        {
            if (t < Lengths[row])
                continue;
            for (int block = 0; block < blocks.Length / n; block++)
                blocks.Slice(block * n + (row - first) * Units, Units).Clear();
        }
    }

    /// <summary>gradient ·= σ·(1 − σ), with σ a sigmoid's output (<paramref name="scratch"/> is overwritten).</summary>
    protected static void SigmoidBack(Span<float> gradient, ReadOnlySpan<float> activation, Span<float> scratch)
    {
        TensorPrimitives.Subtract(1f, activation, scratch);
        TensorPrimitives.Multiply(scratch, activation, scratch);
        TensorPrimitives.Multiply(gradient, scratch, gradient);
    }

    /// <summary>Adds each thread's weight and bias gradients, in part order (deterministic).</summary>
    protected static void SumParts(float[][] weightParts, float[][] biasParts, float[] weightGradient, float[] biasGradient)
    {
        for (int p = 0; p < weightParts.Length; p++)
        {
            TensorPrimitives.Add(weightGradient, weightParts[p], weightGradient);
            TensorPrimitives.Add(biasGradient, biasParts[p], biasGradient);
        }
    }
}
