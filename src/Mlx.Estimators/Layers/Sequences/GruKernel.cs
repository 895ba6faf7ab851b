using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
internal sealed class GruKernel
{
    private readonly int _rows, _steps, _units;
    private readonly int[] _lengths;
    private readonly float[]? _recurrentMask;
    private readonly int _parts;
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
    {
        _rows = rows;
        _steps = steps;
        _units = units;
        _lengths = lengths;
        _recurrentMask = recurrentMask;
        _parts = Math.Clamp(Math.Min(threads, rows / 16), 1, 64);
        // Pooled: a fresh 8 MB array per gate and batch costs more in page faults than the recurrence (measured).
        int size = rows * steps * units;
        _used = ArrayPool<float>.Shared.Rent(size);
        _previous = recurrentMask is null ? _used : ArrayPool<float>.Shared.Rent(size); // without a mask u = h
        _reset = ArrayPool<float>.Shared.Rent(size);
        _update = ArrayPool<float>.Shared.Rent(size);
        _candidate = ArrayPool<float>.Shared.Rent(size);
        _recurrentCandidate = ArrayPool<float>.Shared.Rent(size);
    }

    /// <summary>Returns the saved arrays to the pool (after the backward pass, or at once when no gradient is wanted).</summary>
    public void Release()
    {
        foreach (var array in new[] { _used, _reset, _update, _candidate, _recurrentCandidate })
            ArrayPool<float>.Shared.Return(array);
        if (_previous != _used)
            ArrayPool<float>.Shared.Return(_previous);
    }

    /// <summary>
    /// Runs the recurrence over <paramref name="inputTerms"/> (rows, steps, 3·units) with W_hh (3·units, units) and b_hh;
    /// writes every step's output to <paramref name="outputs"/> (rows, steps, units).
    /// </summary>
    public unsafe void Forward(ReadOnlySpan<float> inputTerms, float[] recurrentWeight, float[] recurrentBias, Span<float> outputs)
    {
        int units = _units;
        var transposed = Transposed(recurrentWeight, units); // W_gᵀ per gate: row k is what unit k of u adds to gate g
        fixed (float* inputPointer = inputTerms, outputPointer = outputs)
        {
            nint input = (nint)inputPointer, output = (nint)outputPointer;
            int length = inputTerms.Length, outputLength = outputs.Length;
            RunParts((first, last, _) =>
            {
                var x = new ReadOnlySpan<float>((float*)input, length);
                var y = new Span<float>((float*)output, outputLength);
                int n = (last - first) * units;
                var h = new float[n];
                var fresh = new float[n];
                var gates = new float[3 * n];
                var xs = new float[3 * n];
                for (int t = 0; t < _steps; t++)
                {
                    Gather(x, xs, first, last, t);
                    int at = (t * _rows + first) * units;
                    var used = _used.AsSpan(at, n);
                    if (_recurrentMask is null)
                    {
                        h.CopyTo(used);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(h, _recurrentMask.AsSpan(first * units, n), used);
                        h.CopyTo(_previous.AsSpan(at, n));
                    }
                    Product(used, transposed, recurrentBias, gates, units);
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
                        var output = y.Slice((row * _steps + t) * units, units);
                        if (t < _lengths[row])
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
    public unsafe void Backward(ReadOnlySpan<float> outputGradient, float[] recurrentWeight, Span<float> inputTermGradient, float[] weightGradient, float[] biasGradient)
    {
        int units = _units;
        var weightParts = new float[_parts][];
        var biasParts = new float[_parts][];
        fixed (float* gradientPointer = outputGradient, inputPointer = inputTermGradient)
        {
            nint gradient = (nint)gradientPointer, inputGradient = (nint)inputPointer;
            int length = outputGradient.Length, inputLength = inputTermGradient.Length;
            RunParts((first, last, part) =>
            {
                var dy = new ReadOnlySpan<float>((float*)gradient, length);
                var dx = new Span<float>((float*)inputGradient, inputLength);
                int n = (last - first) * units;
                var dW = weightParts[part] = new float[3 * units * units];
                var dB = biasParts[part] = new float[3 * units];
                var dh = new float[n];
                var dUsed = new float[n];
                var dDirect = new float[n];
                var dz = new float[n];
                var gateN = new float[n];
                var scratch = new float[n];
                var dxs = new float[3 * n];
                int shortest = _lengths.AsSpan(first, last - first).ToArray().Min();
                for (int t = _steps - 1; t >= 0; t--)
                {
                    int at = (t * _rows + first) * units;
                    // Padded steps output a constant 0: their output gradient goes nowhere.
                    for (int row = first; row < last; row++)
                    {
                        int offset = (row - first) * units;
                        if (t < _lengths[row])
                            TensorPrimitives.Add(dh.AsSpan(offset, units), dy.Slice((row * _steps + t) * units, units), dh.AsSpan(offset, units));
                    }
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
                    TensorPrimitives.Multiply(dh, scratch, dz);
                    TensorPrimitives.Multiply(dh, z, dDirect);
                    // n = tanh(a): ∂a = ∂n·(1 − n²)
                    TensorPrimitives.Multiply(c, c, scratch);
                    TensorPrimitives.Subtract(1f, scratch, scratch);
                    TensorPrimitives.Subtract(dh, dDirect, dnPre);
                    TensorPrimitives.Multiply(dnPre, scratch, dnPre);
                    // z = σ(b): ∂b = ∂z·z·(1 − z)
                    TensorPrimitives.Subtract(1f, z, scratch);
                    TensorPrimitives.Multiply(scratch, z, scratch);
                    TensorPrimitives.Multiply(dz, scratch, dzPre);
                    // r = σ(c'), a = x_n + r·g_n: ∂c' = ∂a·g_n·r·(1 − r); the recurrent product's n-part gets ∂a·r
                    TensorPrimitives.Subtract(1f, r, scratch);
                    TensorPrimitives.Multiply(scratch, r, scratch);
                    TensorPrimitives.Multiply(dnPre, _recurrentCandidate.AsSpan(at, n), dr);
                    TensorPrimitives.Multiply(dr, scratch, dr);
                    TensorPrimitives.Multiply(dnPre, r, gateN);
                    for (int row = first; row < last; row++)
                    {
                        if (t < _lengths[row])
                            continue;
                        int offset = (row - first) * units;
                        dr.Slice(offset, units).Clear();
                        dzPre.Slice(offset, units).Clear();
                        dnPre.Slice(offset, units).Clear();
                        gateN.AsSpan(offset, units).Clear();
                    }
                    Array.Clear(dUsed);
                    Accumulate(dr, dzPre, gateN, used, recurrentWeight, dW, dB, dUsed, units);
                    Scatter(dxs, dx, first, last, t);
                    for (int row = first; row < last; row++)
                    {
                        int offset = (row - first) * units;
                        if (t >= _lengths[row])
                            continue; // padding: the gradient reaches the previous state unchanged
                        // ∂h = the direct term + the recurrent product's ∂u (times the mask: u = h·mask).
                        var source = dUsed.AsSpan(offset, units);
                        var target = dh.AsSpan(offset, units);
                        if (_recurrentMask is null)
                            TensorPrimitives.Add(source, dDirect.AsSpan(offset, units), target);
                        else
                            TensorPrimitives.MultiplyAdd(source, _recurrentMask.AsSpan(row * units, units), dDirect.AsSpan(offset, units), target);
                    }
                }
            });
        }
        for (int p = 0; p < _parts; p++)
        {
            TensorPrimitives.Add(weightGradient, weightParts[p], weightGradient);
            TensorPrimitives.Add(biasGradient, biasParts[p], biasGradient);
        }
    }

    // Step t's input terms of rows first..last−1 from (rows, steps, 3·units) into three (rows × units) gate blocks.
    private void Gather(ReadOnlySpan<float> source, float[] blocks, int first, int last, int t)
    {
        int units = _units, n = (last - first) * units;
        for (int row = first; row < last; row++)
        {
            var terms = source.Slice((row * _steps + t) * 3 * units, 3 * units);
            int offset = (row - first) * units;
            for (int g = 0; g < 3; g++)
                terms.Slice(g * units, units).CopyTo(blocks.AsSpan(g * n + offset, units));
        }
    }

    // The reverse of Gather: three gate blocks into step t of (rows, steps, 3·units).
    private void Scatter(float[] blocks, Span<float> destination, int first, int last, int t)
    {
        int units = _units, n = (last - first) * units;
        for (int row = first; row < last; row++)
        {
            var terms = destination.Slice((row * _steps + t) * 3 * units, 3 * units);
            int offset = (row - first) * units;
            for (int g = 0; g < 3; g++)
                blocks.AsSpan(g * n + offset, units).CopyTo(terms.Slice(g * units, units));
        }
    }

    private static float[] Transposed(float[] weight, int units)
    {
        var transposed = new float[3 * units * units];
        for (int g = 0; g < 3; g++)
            for (int j = 0; j < units; j++)
                for (int k = 0; k < units; k++)
                    transposed[(g * units + k) * units + j] = weight[(g * units + j) * units + k];
        return transposed;
    }

    // gates[g][row, j] = b_g[j] + Σ_k u[row, k] · W_gᵀ[k, j], for the three gate blocks (each rows × units). Each
    // vector of outputs is accumulated in a register over k.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Product(ReadOnlySpan<float> used, float[] transposed, float[] bias, float[] gates, int units)
    {
        int rows = used.Length / units, n = used.Length, width = Vector<float>.Count;
        int vectorized = units / width * width;
        ref float u0 = ref MemoryMarshal.GetReference(used);
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(transposed);
        ref float b0 = ref MemoryMarshal.GetArrayDataReference(bias);
        ref float out0 = ref MemoryMarshal.GetArrayDataReference(gates);
        for (int g = 0; g < 3; g++)
        {
            nuint weights = (nuint)(g * units * units);
            int row = 0;
            // Four rows at a time: four independent accumulation chains (one chain waits on the FMA latency) sharing each weight load.
            for (; row + 4 <= rows; row += 4)
            {
                nuint u = (nuint)(row * units), output = (nuint)(g * n + row * units);
                for (int j = 0; j < vectorized; j += width)
                {
                    var a0 = Vector.LoadUnsafe(ref b0, (nuint)(g * units + j));
                    Vector<float> a1 = a0, a2 = a0, a3 = a0;
                    for (int k = 0; k < units; k++)
                    {
                        var w = Vector.LoadUnsafe(ref w0, weights + (nuint)(k * units + j));
                        a0 += new Vector<float>(Unsafe.Add(ref u0, u + (nuint)k)) * w;
                        a1 += new Vector<float>(Unsafe.Add(ref u0, u + (nuint)(units + k))) * w;
                        a2 += new Vector<float>(Unsafe.Add(ref u0, u + (nuint)(2 * units + k))) * w;
                        a3 += new Vector<float>(Unsafe.Add(ref u0, u + (nuint)(3 * units + k))) * w;
                    }
                    a0.StoreUnsafe(ref out0, output + (nuint)j);
                    a1.StoreUnsafe(ref out0, output + (nuint)(units + j));
                    a2.StoreUnsafe(ref out0, output + (nuint)(2 * units + j));
                    a3.StoreUnsafe(ref out0, output + (nuint)(3 * units + j));
                }
                for (int r = 0; r < 4; r++)
                    ScalarColumns(used, transposed, bias, gates, units, vectorized, g, row + r);
            }
            for (; row < rows; row++)
            {
                nuint u = (nuint)(row * units), output = (nuint)(g * n + row * units);
                for (int j = 0; j < vectorized; j += width)
                {
                    var acc = Vector.LoadUnsafe(ref b0, (nuint)(g * units + j));
                    for (int k = 0; k < units; k++)
                        acc += new Vector<float>(Unsafe.Add(ref u0, u + (nuint)k)) * Vector.LoadUnsafe(ref w0, weights + (nuint)(k * units + j));
                    acc.StoreUnsafe(ref out0, output + (nuint)j);
                }
                ScalarColumns(used, transposed, bias, gates, units, vectorized, g, row);
            }
        }
    }

    // The last units % width columns of a row's gate block, when the units are not a multiple of the vector width.
    private static void ScalarColumns(ReadOnlySpan<float> used, float[] transposed, float[] bias, float[] gates, int units, int vectorized, int g, int row)
    {
        int n = used.Length;
        for (int j = vectorized; j < units; j++)
        {
            float acc = bias[g * units + j];
            for (int k = 0; k < units; k++)
                acc += used[row * units + k] * transposed[g * units * units + k * units + j];
            gates[g * n + row * units + j] = acc;
        }
    }

    // Gradients (g_r, g_z, g_n) of the recurrent product of every row of a step: ∂b_hh += Σ_rows g, ∂W_hh[j, :] +=
    // Σ_rows g[row, j]·u[row, :] (accumulated in a register over the rows), ∂u[row, :] += Σ_j g[row, j]·W_hh[j, :].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(ReadOnlySpan<float> gr, ReadOnlySpan<float> gz, ReadOnlySpan<float> gn, ReadOnlySpan<float> used,
        float[] weight, float[] weightGradient, float[] biasGradient, Span<float> usedGradient, int units)
    {
        int rows = used.Length / units, width = Vector<float>.Count;
        int vectorized = units / width * width;
        ref float u0 = ref MemoryMarshal.GetReference(used);
        ref float du0 = ref MemoryMarshal.GetReference(usedGradient);
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(weight);
        ref float dw0 = ref MemoryMarshal.GetArrayDataReference(weightGradient);
        for (int gate = 0; gate < 3; gate++)
        {
            var g = gate == 0 ? gr : gate == 1 ? gz : gn;
            ref float g0 = ref MemoryMarshal.GetReference(g);
            for (int i = 0; i < units; i++)
            {
                int j = gate * units + i;
                float biasSum = 0;
                for (int row = 0; row < rows; row++)
                    biasSum += Unsafe.Add(ref g0, row * units + i);
                biasGradient[j] += biasSum;
                for (int k = 0; k < vectorized; k += width)
                {
                    // Four chains over the rows (row mod 4), summed in a fixed order.
                    Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    int row = 0;
                    for (; row + 4 <= rows; row += 4)
                    {
                        a0 += new Vector<float>(Unsafe.Add(ref g0, row * units + i)) * Vector.LoadUnsafe(ref u0, (nuint)(row * units + k));
                        a1 += new Vector<float>(Unsafe.Add(ref g0, (row + 1) * units + i)) * Vector.LoadUnsafe(ref u0, (nuint)((row + 1) * units + k));
                        a2 += new Vector<float>(Unsafe.Add(ref g0, (row + 2) * units + i)) * Vector.LoadUnsafe(ref u0, (nuint)((row + 2) * units + k));
                        a3 += new Vector<float>(Unsafe.Add(ref g0, (row + 3) * units + i)) * Vector.LoadUnsafe(ref u0, (nuint)((row + 3) * units + k));
                    }
                    for (; row < rows; row++)
                        a0 += new Vector<float>(Unsafe.Add(ref g0, row * units + i)) * Vector.LoadUnsafe(ref u0, (nuint)(row * units + k));
                    var sum = Vector.LoadUnsafe(ref dw0, (nuint)(j * units + k)) + ((a0 + a1) + (a2 + a3));
                    sum.StoreUnsafe(ref dw0, (nuint)(j * units + k));
                }
                for (int k = vectorized; k < units; k++)
                {
                    float acc = weightGradient[j * units + k];
                    for (int row = 0; row < rows; row++)
                        acc += Unsafe.Add(ref g0, row * units + i) * Unsafe.Add(ref u0, row * units + k);
                    weightGradient[j * units + k] = acc;
                }
            }
        }
        ref float gr0 = ref MemoryMarshal.GetReference(gr);
        ref float gz0 = ref MemoryMarshal.GetReference(gz);
        ref float gn0 = ref MemoryMarshal.GetReference(gn);
        for (int row = 0; row < rows; row++)
        {
            for (int k = 0; k < vectorized; k += width)
            {
                // One chain per gate.
                Vector<float> ar = default, az = default, an = default;
                for (int i = 0; i < units; i++)
                {
                    ar += new Vector<float>(Unsafe.Add(ref gr0, row * units + i)) * Vector.LoadUnsafe(ref w0, (nuint)(i * units + k));
                    az += new Vector<float>(Unsafe.Add(ref gz0, row * units + i)) * Vector.LoadUnsafe(ref w0, (nuint)((units + i) * units + k));
                    an += new Vector<float>(Unsafe.Add(ref gn0, row * units + i)) * Vector.LoadUnsafe(ref w0, (nuint)((2 * units + i) * units + k));
                }
                var acc = Vector.LoadUnsafe(ref du0, (nuint)(row * units + k)) + ((ar + az) + an);
                acc.StoreUnsafe(ref du0, (nuint)(row * units + k));
            }
            for (int k = vectorized; k < units; k++)
            {
                float acc = usedGradient[row * units + k];
                for (int i = 0; i < units; i++)
                    acc += gr[row * units + i] * weight[i * units + k] + gz[row * units + i] * weight[(units + i) * units + k] + gn[row * units + i] * weight[(2 * units + i) * units + k];
                usedGradient[row * units + k] = acc;
            }
        }
    }

    // Rows split into equal contiguous parts, one per thread (fixed by the row count and thread count: deterministic).
    private void RunParts(Action<int, int, int> body)
    {
        if (_parts == 1)
        {
            body(0, _rows, 0);
            return;
        }
        Parallel.For(0, _parts, new ParallelOptions { MaxDegreeOfParallelism = _parts }, part =>
            body(part * _rows / _parts, (part + 1) * _rows / _parts, part));
    }
}
