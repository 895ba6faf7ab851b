using System.Numerics.Tensors;

namespace Mlx.Estimators;

/// <summary>
/// The GRU recurrence (PyTorch's gate order r, z, n; reset after the recurrent product) over one batch, forward and
/// backward, on float spans. The input terms x·W_ihᵀ + b_ih of every step come precomputed (one matrix product in
/// libtorch); what is left per step is a (rows × units) · (units × 3·units) product and a few element-wise maps, too small
/// for libtorch's per-op cost to pay off: libtorch's own CPU GRU issues ~10 ops per step forward and twice that in
/// autograd, and at 32 units that overhead is the run time. Each step gathers its rows' input terms into one buffer per
/// gate, so each element-wise map covers all rows of a step in one vectorised call (the saved values are step-major). Rows are
/// split across threads (each with its own weight-gradient accumulators, summed in a fixed order: deterministic).
/// Per row: steps from its length on are padding (output 0, state unchanged). With a recurrent dropout mask the recurrent
/// product reads the previous output times the mask; the update gate mixes the kept previous output (see GruLayer.Step).
/// </summary>
internal sealed class GruKernel : RecurrentKernel
{
    /// <inheritdoc/>
    public override int Gates => 3;

    // Saved by the forward pass for the backward one, step-major (steps, rows, units): the previous output as used (after
    // the recurrent mask), r, z, n and the recurrent part of n's pre-activation (W_hn·u + b_hn).
    private readonly float[] _used, _previous, _reset, _update, _candidate, _recurrentCandidate;

    /// <param name="rows">Rows of the batch.</param>
    /// <param name="steps">Time steps.</param>
    /// <param name="units">Units of the layer.</param>
    /// <param name="lengths">Real steps of each row (padding after them).</param>
    /// <param name="recurrentMask">(rows, units) recurrent dropout mask, or null.</param>
    /// <param name="threads">Threads to split the rows over.</param>
    public GruKernel(int rows, int steps, int units, int[] lengths, float[]? recurrentMask, int threads)
        : base(rows, steps, units, lengths, recurrentMask, threads)
    {
        _used = Rent();
        _previous = recurrentMask is null ? _used : Rent(); // without a mask u = h
        _reset = Rent();
        _update = Rent();
        _candidate = Rent();
        _recurrentCandidate = Rent();
    }

    /// <summary>
    /// Runs the recurrence over <paramref name="inputTerms"/> (rows, steps, 3·units) with W_hh (3·units, units) and b_hh;
    /// writes every step's output to <paramref name="outputs"/> (rows, steps, units).
    /// </summary>
    public override unsafe void Forward(ReadOnlySpan<float> inputTerms, float[] recurrentWeight, float[] recurrentBias, Span<float> outputs)
    {
        int units = Units;
        var transposed = RecurrentKernelMath.Transposed(recurrentWeight, units, 3);
        fixed (float* inputPointer = inputTerms, outputPointer = outputs)
        {
            nint input = (nint)inputPointer, output = (nint)outputPointer;
            int length = inputTerms.Length, outputLength = outputs.Length;
            RecurrentKernelMath.RunParts(Rows, Parts, Threads, (first, last, _) =>
            {
                var x = new ReadOnlySpan<float>((float*)input, length);
                var y = new Span<float>((float*)output, outputLength);
                int n = (last - first) * units;
                var h = new float[n];
                var fresh = new float[n];
                var gates = new float[3 * n];
                var xs = new float[3 * n];
                for (int t = 0; t < Steps; t++)
                {
                    RecurrentKernelMath.Gather(x, xs, first, last, t, Steps, units, 3);
                    int at = (t * Rows + first) * units;
                    var used = _used.AsSpan(at, n);
                    if (RecurrentMask is null)
                    {
                        h.CopyTo(used);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(h, RecurrentMask.AsSpan(first * units, n), used);
                        h.CopyTo(_previous.AsSpan(at, n));
                    }
                    RecurrentKernelMath.Product(used, transposed, recurrentBias, gates, units, 3);
                    var r = _reset.AsSpan(at, n);
                    var z = _update.AsSpan(at, n);
                    var c = _candidate.AsSpan(at, n);
                    var gateN = gates.AsSpan(2 * n, n);
                    TensorPrimitives.Add(xs.AsSpan(0, n), gates.AsSpan(0, n), r);
                    TensorPrimitives.Sigmoid(r, r);
                    TensorPrimitives.Add(xs.AsSpan(n, n), gates.AsSpan(n, n), z);
                    TensorPrimitives.Sigmoid(z, z);
                    gateN.CopyTo(_recurrentCandidate.AsSpan(at, n));
                    TensorPrimitives.MultiplyAdd(gateN, r, xs.AsSpan(2 * n, n), c);
                    TensorPrimitives.Tanh(c, c);
                    TensorPrimitives.Subtract(h, c, fresh); // h' = n + z·(h − n)
                    TensorPrimitives.MultiplyAdd(fresh, z, c, fresh);
                    for (int row = first; row < last; row++)
                    {
                        int offset = (row - first) * units;
                        var output = y.Slice((row * Steps + t) * units, units);
                        if (t < Lengths[row])
                        {
                            fresh.AsSpan(offset, units).CopyTo(h.AsSpan(offset, units));
                            fresh.AsSpan(offset, units).CopyTo(output);
                        }
                        else
                        {
                            output.Clear(); // padding: no output, the state stays
                        }
                    }
                }
            });
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (rows, steps, units): writes the gradient of the input terms
    /// (rows, steps, 3·units) and adds those of W_hh and b_hh.
    /// </summary>
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
                var dW = weightParts[part] = new float[3 * units * units];
                var dB = biasParts[part] = new float[3 * units];
                var dh = new float[n];
                var dUsed = new float[n];
                var dDirect = new float[n];
                var product = new float[3 * n]; // the recurrent product's gradient: (∂r_pre, ∂z_pre, ∂a·r)
                var gateN = product.AsSpan(2 * n, n);
                var scratch = new float[n];
                var dxs = new float[3 * n];
                for (int t = Steps - 1; t >= 0; t--)
                {
                    int at = (t * Rows + first) * units;
                    AddOutputGradient(dh, dy, first, last, t);
                    var used = _used.AsSpan(at, n);
                    var previous = _previous.AsSpan(at, n);
                    var r = _reset.AsSpan(at, n);
                    var z = _update.AsSpan(at, n);
                    var c = _candidate.AsSpan(at, n);
                    var dr = dxs.AsSpan(0, n);
                    var dzPre = dxs.AsSpan(n, n);
                    var dnPre = dxs.AsSpan(2 * n, n);
                    // h' = n + z·(h − n): ∂z = dh·(h − n), ∂h (direct) = dh·z, ∂n = dh − dh·z
                    TensorPrimitives.Subtract(previous, c, scratch);
                    TensorPrimitives.Multiply(dh, scratch, dzPre);
                    TensorPrimitives.Multiply(dh, z, dDirect);
                    // n = tanh(a): ∂a = ∂n·(1 − n²)
                    TensorPrimitives.Multiply(c, c, scratch);
                    TensorPrimitives.Subtract(1f, scratch, scratch);
                    TensorPrimitives.Subtract(dh, dDirect, dnPre);
                    TensorPrimitives.Multiply(dnPre, scratch, dnPre);
                    // z = σ(b): ∂b = ∂z·z·(1 − z)
                    SigmoidBack(dzPre, z, scratch);
                    // r = σ(c'), a = x_n + r·g_n: ∂c' = ∂a·g_n·r·(1 − r); the recurrent product's n-part gets ∂a·r
                    TensorPrimitives.Multiply(dnPre, _recurrentCandidate.AsSpan(at, n), dr);
                    SigmoidBack(dr, r, scratch);
                    TensorPrimitives.Multiply(dnPre, r, gateN);
                    ClearPadding(dxs, first, last, t);
                    ClearPadding(gateN, first, last, t);
                    dxs.AsSpan(0, 2 * n).CopyTo(product);
                    Array.Clear(dUsed);
                    RecurrentKernelMath.Accumulate(product, used, recurrentWeight, dW, dB, dUsed, units, 3);
                    RecurrentKernelMath.Scatter(dxs, dx, first, last, t, Steps, units, 3);
                    for (int row = first; row < last; row++)
                    {
                        int offset = (row - first) * units;
                        if (t >= Lengths[row])
                            continue; // padding: the gradient reaches the previous state unchanged
                        // ∂h = the direct term + the recurrent product's ∂u (times the mask: u = h·mask).
                        var source = dUsed.AsSpan(offset, units);
                        var target = dh.AsSpan(offset, units);
                        if (RecurrentMask is null)
                            TensorPrimitives.Add(source, dDirect.AsSpan(offset, units), target);
                        else
                            TensorPrimitives.MultiplyAdd(source, RecurrentMask.AsSpan(row * units, units), dDirect.AsSpan(offset, units), target);
                    }
                }
            });
        }
        SumParts(weightParts, biasParts, weightGradient, biasGradient);
    }
}
