using System.Numerics.Tensors;

namespace Mlx.Estimators;

/// <summary>
/// The LSTM recurrence (PyTorch's gate order i, f, g, o) over one batch, forward and backward, as <see cref="GruKernel"/>
/// does the GRU: it runs the LSTM layers that use recurrent dropout (Keras' one mask per sequence on the previous output,
/// which libtorch's fused kernels cannot apply), where stepping through time in libtorch autograd cost 18× the fused
/// kernel. Per row, steps from its length on are padding (output 0, state and carry unchanged).
/// </summary>
internal sealed class LstmKernel : RecurrentKernel
{
    // Saved per (step, row, unit), step-major: the previous output as the product reads it, the previous carry, the four
    // gates after their activations and tanh of the new carry.
    private readonly float[] _used, _carry, _input, _forget, _cell, _output, _squashed;

    public LstmKernel(int rows, int steps, int units, int[] lengths, float[]? recurrentMask, int threads)
        : base(rows, steps, units, lengths, recurrentMask, threads)
    {
        _used = Rent();
        _carry = Rent();
        _input = Rent();
        _forget = Rent();
        _cell = Rent();
        _output = Rent();
        _squashed = Rent();
    }

    /// <inheritdoc/>
    public override int Gates => 4;

    /// <inheritdoc/>
    public override unsafe void Forward(ReadOnlySpan<float> inputTerms, float[] recurrentWeight, float[] recurrentBias, Span<float> outputs)
    {
        int units = Units;
        var transposed = RecurrentKernelMath.Transposed(recurrentWeight, units, 4);
        fixed (float* inputPointer = inputTerms, outputPointer = outputs)
        {
            nint source = (nint)inputPointer, destination = (nint)outputPointer;
            int length = inputTerms.Length, outputLength = outputs.Length;
            RecurrentKernelMath.RunParts(Rows, Parts, Threads, (first, last, _) =>
            {
                var x = new ReadOnlySpan<float>((float*)source, length);
                var y = new Span<float>((float*)destination, outputLength);
                int n = (last - first) * units;
                var h = new float[n];
                var c = new float[n];
                var newCarry = new float[n];
                var fresh = new float[n];
                var pre = new float[4 * n];
                var xs = new float[4 * n];
                for (int t = 0; t < Steps; t++)
                {
                    int at = (t * Rows + first) * units;
                    var used = _used.AsSpan(at, n);
                    if (RecurrentMask is null)
                        h.CopyTo(used);
                    else
                        TensorPrimitives.Multiply(h, RecurrentMask.AsSpan(first * units, n), used);
                    c.CopyTo(_carry.AsSpan(at, n));
                    RecurrentKernelMath.Gather(x, xs, first, last, t, Steps, units, 4);
                    RecurrentKernelMath.Product(used, transposed, recurrentBias, pre, units, 4);
                    TensorPrimitives.Add(pre, xs, pre);
                    var i = _input.AsSpan(at, n);
                    var f = _forget.AsSpan(at, n);
                    var g = _cell.AsSpan(at, n);
                    var o = _output.AsSpan(at, n);
                    var squashed = _squashed.AsSpan(at, n);
                    TensorPrimitives.Sigmoid(pre.AsSpan(0, n), i);
                    TensorPrimitives.Sigmoid(pre.AsSpan(n, n), f);
                    TensorPrimitives.Tanh(pre.AsSpan(2 * n, n), g);
                    TensorPrimitives.Sigmoid(pre.AsSpan(3 * n, n), o);
                    TensorPrimitives.Multiply(f, c, newCarry); // c' = f·c + i·g
                    TensorPrimitives.MultiplyAdd(i, g, newCarry, newCarry);
                    TensorPrimitives.Tanh(newCarry, squashed);
                    TensorPrimitives.Multiply(o, squashed, fresh); // h' = o·tanh(c')
                    for (int row = first; row < last; row++)
                    {
                        int offset = (row - first) * units;
                        var output = y.Slice((row * Steps + t) * units, units);
                        if (t < Lengths[row])
                        {
                            fresh.AsSpan(offset, units).CopyTo(h.AsSpan(offset, units));
                            newCarry.AsSpan(offset, units).CopyTo(c.AsSpan(offset, units));
                            fresh.AsSpan(offset, units).CopyTo(output);
                        }
                        else
                        {
                            output.Clear(); // padding: no output, the state and carry stay
                        }
                    }
                }
            });
        }
    }

    /// <inheritdoc/>
    public override unsafe void Backward(ReadOnlySpan<float> outputGradient, float[] recurrentWeight, Span<float> inputTermGradient, float[] weightGradient, float[] biasGradient)
    {
        int units = Units;
        var weightParts = new float[Parts][];
        var biasParts = new float[Parts][];
        fixed (float* gradientPointer = outputGradient, inputPointer = inputTermGradient)
        {
            nint gradient = (nint)gradientPointer, inputGradient = (nint)inputPointer;
            int length = outputGradient.Length, inputLength = inputTermGradient.Length;
            RecurrentKernelMath.RunParts(Rows, Parts, Threads, (first, last, part) =>
            {
                var dy = new ReadOnlySpan<float>((float*)gradient, length);
                var dx = new Span<float>((float*)inputGradient, inputLength);
                int n = (last - first) * units;
                var dW = weightParts[part] = new float[4 * units * units];
                var dB = biasParts[part] = new float[4 * units];
                var dh = new float[n];
                var dc = new float[n];
                var dTotal = new float[n];
                var dUsed = new float[n];
                var scratch = new float[n];
                var dPre = new float[4 * n]; // ∂ of the four pre-activations: the input terms' and the product's gradient
                for (int t = Steps - 1; t >= 0; t--)
                {
                    int at = (t * Rows + first) * units;
                    AddOutputGradient(dh, dy, first, last, t);
                    var i = _input.AsSpan(at, n);
                    var f = _forget.AsSpan(at, n);
                    var g = _cell.AsSpan(at, n);
                    var o = _output.AsSpan(at, n);
                    var squashed = _squashed.AsSpan(at, n);
                    var di = dPre.AsSpan(0, n);
                    var df = dPre.AsSpan(n, n);
                    var dg = dPre.AsSpan(2 * n, n);
                    var dout = dPre.AsSpan(3 * n, n);
                    // h' = o·tanh(c'): ∂o = dh·tanh(c'); ∂c' = dc + dh·o·(1 − tanh²(c'))
                    TensorPrimitives.Multiply(dh, squashed, dout);
                    TensorPrimitives.Multiply(squashed, squashed, scratch);
                    TensorPrimitives.Subtract(1f, scratch, scratch);
                    TensorPrimitives.Multiply(scratch, o, scratch);
                    TensorPrimitives.MultiplyAdd(dh, scratch, dc, dTotal);
                    // c' = f·c + i·g: ∂i = ∂c'·g, ∂g = ∂c'·i, ∂f = ∂c'·c, ∂c = ∂c'·f
                    TensorPrimitives.Multiply(dTotal, g, di);
                    TensorPrimitives.Multiply(dTotal, i, dg);
                    TensorPrimitives.Multiply(dTotal, _carry.AsSpan(at, n), df);
                    // Through the activations: σ' = σ(1 − σ), tanh' = 1 − tanh².
                    SigmoidBack(di, i, scratch);
                    SigmoidBack(df, f, scratch);
                    SigmoidBack(dout, o, scratch);
                    TensorPrimitives.Multiply(g, g, scratch);
                    TensorPrimitives.Subtract(1f, scratch, scratch);
                    TensorPrimitives.Multiply(dg, scratch, dg);
                    ClearPadding(dPre, first, last, t);
                    Array.Clear(dUsed);
                    RecurrentKernelMath.Accumulate(dPre, _used.AsSpan(at, n), recurrentWeight, dW, dB, dUsed, units, 4);
                    RecurrentKernelMath.Scatter(dPre, dx, first, last, t, Steps, units, 4);
                    for (int row = first; row < last; row++)
                    {
                        int offset = (row - first) * units;
                        if (t >= Lengths[row])
                            continue; // padding: the gradients reach the previous state and carry unchanged
                        TensorPrimitives.Multiply(dTotal.AsSpan(offset, units), f.Slice(offset, units), dc.AsSpan(offset, units));
                        if (RecurrentMask is null)
                            dUsed.AsSpan(offset, units).CopyTo(dh.AsSpan(offset, units));
                        else
                            TensorPrimitives.Multiply(dUsed.AsSpan(offset, units), RecurrentMask.AsSpan(row * units, units), dh.AsSpan(offset, units));
                    }
                }
            });
        }
        SumParts(weightParts, biasParts, weightGradient, biasGradient);
    }
}
