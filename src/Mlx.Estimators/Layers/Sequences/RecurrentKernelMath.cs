using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlx.Estimators;

/// <summary>
/// What Mlx's recurrent kernels (<see cref="GruKernel"/>, <see cref="LstmKernel"/>) share: the per-step recurrent
/// product over all rows of a step and its gradients, vectorised with register accumulators (several independent FMA
/// chains, since one chain waits on the FMA latency); moving a step's input terms between the (rows, steps, gates·units)
/// tensors and per-gate (rows × units) blocks; splitting rows over threads. Gate blocks follow PyTorch's weight layout:
/// W_hh is (gates·units, units), gate g's rows g·units … (g + 1)·units − 1.
/// </summary>
internal static class RecurrentKernelMath
{
    /// <summary>W_gᵀ per gate, (gates, units, units): row k of block g is what unit k of the previous output adds to gate g.</summary>
    public static float[] Transposed(float[] weight, int units, int gates)
    {
        var transposed = new float[gates * units * units];
        for (int g = 0; g < gates; g++)
            for (int j = 0; j < units; j++)
                for (int k = 0; k < units; k++)
                    transposed[(g * units + k) * units + j] = weight[(g * units + j) * units + k];
        return transposed;
    }

    /// <summary>
    /// out[g][row, j] = b_g[j] + Σ_k u[row, k] · W_gᵀ[k, j] for every gate block (each rows × units of <paramref name="output"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Product(ReadOnlySpan<float> used, float[] transposed, float[] bias, Span<float> output, int units, int gates)
    {
        int rows = used.Length / units, n = used.Length, width = Vector<float>.Count;
        int vectorized = units / width * width;
        ref float u0 = ref MemoryMarshal.GetReference(used);
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(transposed);
        ref float b0 = ref MemoryMarshal.GetArrayDataReference(bias);
        ref float out0 = ref MemoryMarshal.GetReference(output);
        for (int g = 0; g < gates; g++)
        {
            nuint weights = (nuint)(g * units * units);
            int row = 0;
            // Four rows at a time: four chains sharing each weight load.
            for (; row + 4 <= rows; row += 4)
            {
                nuint u = (nuint)(row * units), at = (nuint)(g * n + row * units);
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
                    a0.StoreUnsafe(ref out0, at + (nuint)j);
                    a1.StoreUnsafe(ref out0, at + (nuint)(units + j));
                    a2.StoreUnsafe(ref out0, at + (nuint)(2 * units + j));
                    a3.StoreUnsafe(ref out0, at + (nuint)(3 * units + j));
                }
            }
            for (; row < rows; row++)
            {
                nuint u = (nuint)(row * units), at = (nuint)(g * n + row * units);
                for (int j = 0; j < vectorized; j += width)
                {
                    var acc = Vector.LoadUnsafe(ref b0, (nuint)(g * units + j));
                    for (int k = 0; k < units; k++)
                        acc += new Vector<float>(Unsafe.Add(ref u0, u + (nuint)k)) * Vector.LoadUnsafe(ref w0, weights + (nuint)(k * units + j));
                    acc.StoreUnsafe(ref out0, at + (nuint)j);
                }
            }
            // The last units % width columns, when the units are not a multiple of the vector width.
            for (row = 0; row < rows && vectorized < units; row++)
            {
                for (int j = vectorized; j < units; j++)
                {
                    float acc = bias[g * units + j];
                    for (int k = 0; k < units; k++)
                        acc += used[row * units + k] * transposed[g * units * units + k * units + j];
                    output[g * n + row * units + j] = acc;
                }
            }
        }
    }

    /// <summary>
    /// Back through the product for every row of a step, given the gradients of its gate blocks (gates × rows × units):
    /// ∂b_hh += Σ_rows grad, ∂W_hh[j, :] += Σ_rows grad[row, j]·u[row, :], ∂u[row, :] += Σ_j grad[row, j]·W_hh[j, :].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ReadOnlySpan<float> gradients, ReadOnlySpan<float> used, float[] weight, float[] weightGradient, float[] biasGradient,
        Span<float> usedGradient, int units, int gates)
    {
        int rows = used.Length / units, n = used.Length, width = Vector<float>.Count;
        int vectorized = units / width * width;
        ref float u0 = ref MemoryMarshal.GetReference(used);
        ref float du0 = ref MemoryMarshal.GetReference(usedGradient);
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(weight);
        ref float dw0 = ref MemoryMarshal.GetArrayDataReference(weightGradient);
        ref float g0 = ref MemoryMarshal.GetReference(gradients);
        for (int gate = 0; gate < gates; gate++)
        {
            for (int i = 0; i < units; i++)
            {
                int j = gate * units + i, column = gate * n + i;
                float biasSum = 0;
                for (int row = 0; row < rows; row++)
                    biasSum += Unsafe.Add(ref g0, column + row * units);
                biasGradient[j] += biasSum;
                for (int k = 0; k < vectorized; k += width)
                {
                    // Four chains over the rows (row mod 4), summed in a fixed order.
                    Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    int row = 0;
                    for (; row + 4 <= rows; row += 4)
                    {
                        a0 += new Vector<float>(Unsafe.Add(ref g0, column + row * units)) * Vector.LoadUnsafe(ref u0, (nuint)(row * units + k));
                        a1 += new Vector<float>(Unsafe.Add(ref g0, column + (row + 1) * units)) * Vector.LoadUnsafe(ref u0, (nuint)((row + 1) * units + k));
                        a2 += new Vector<float>(Unsafe.Add(ref g0, column + (row + 2) * units)) * Vector.LoadUnsafe(ref u0, (nuint)((row + 2) * units + k));
                        a3 += new Vector<float>(Unsafe.Add(ref g0, column + (row + 3) * units)) * Vector.LoadUnsafe(ref u0, (nuint)((row + 3) * units + k));
                    }
                    for (; row < rows; row++)
                        a0 += new Vector<float>(Unsafe.Add(ref g0, column + row * units)) * Vector.LoadUnsafe(ref u0, (nuint)(row * units + k));
                    var sum = Vector.LoadUnsafe(ref dw0, (nuint)(j * units + k)) + ((a0 + a1) + (a2 + a3));
                    sum.StoreUnsafe(ref dw0, (nuint)(j * units + k));
                }
                for (int k = vectorized; k < units; k++)
                {
                    float acc = weightGradient[j * units + k];
                    for (int row = 0; row < rows; row++)
                        acc += gradients[column + row * units] * used[row * units + k];
                    weightGradient[j * units + k] = acc;
                }
            }
        }
        for (int row = 0; row < rows; row++)
        {
            for (int k = 0; k < vectorized; k += width)
            {
                // Four chains over the gate rows j (j mod 4).
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int gate = 0; gate < gates; gate++)
                {
                    int at = gate * n + row * units, i = 0;
                    for (; i + 4 <= units; i += 4)
                    {
                        a0 += new Vector<float>(Unsafe.Add(ref g0, at + i)) * Vector.LoadUnsafe(ref w0, (nuint)((gate * units + i) * units + k));
                        a1 += new Vector<float>(Unsafe.Add(ref g0, at + i + 1)) * Vector.LoadUnsafe(ref w0, (nuint)((gate * units + i + 1) * units + k));
                        a2 += new Vector<float>(Unsafe.Add(ref g0, at + i + 2)) * Vector.LoadUnsafe(ref w0, (nuint)((gate * units + i + 2) * units + k));
                        a3 += new Vector<float>(Unsafe.Add(ref g0, at + i + 3)) * Vector.LoadUnsafe(ref w0, (nuint)((gate * units + i + 3) * units + k));
                    }
                    for (; i < units; i++)
                        a0 += new Vector<float>(Unsafe.Add(ref g0, at + i)) * Vector.LoadUnsafe(ref w0, (nuint)((gate * units + i) * units + k));
                }
                var acc = Vector.LoadUnsafe(ref du0, (nuint)(row * units + k)) + ((a0 + a1) + (a2 + a3));
                acc.StoreUnsafe(ref du0, (nuint)(row * units + k));
            }
            for (int k = vectorized; k < units; k++)
            {
                float acc = usedGradient[row * units + k];
                for (int gate = 0; gate < gates; gate++)
                    for (int i = 0; i < units; i++)
                        acc += gradients[gate * n + row * units + i] * weight[(gate * units + i) * units + k];
                usedGradient[row * units + k] = acc;
            }
        }
    }

    /// <summary>Step t's input terms of rows first … last − 1, from (rows, steps, gates·units) into per-gate (rows × units) blocks.</summary>
    public static void Gather(ReadOnlySpan<float> source, Span<float> blocks, int first, int last, int t, int steps, int units, int gates)
    {
        int n = (last - first) * units;
        for (int row = first; row < last; row++)
        {
            var terms = source.Slice((row * steps + t) * gates * units, gates * units);
            int offset = (row - first) * units;
            for (int g = 0; g < gates; g++)
                terms.Slice(g * units, units).CopyTo(blocks.Slice(g * n + offset, units));
        }
    }

    /// <summary>The reverse of <see cref="Gather"/>.</summary>
    public static void Scatter(ReadOnlySpan<float> blocks, Span<float> destination, int first, int last, int t, int steps, int units, int gates)
    {
        int n = (last - first) * units;
        for (int row = first; row < last; row++)
        {
            var terms = destination.Slice((row * steps + t) * gates * units, gates * units);
            int offset = (row - first) * units;
            for (int g = 0; g < gates; g++)
                blocks.Slice(g * n + offset, units).CopyTo(terms.Slice(g * units, units));
        }
    }

    /// <summary>
    /// How many parts to split <paramref name="rows"/> over: one per 64 rows, at most 8. It depends on the batch only, not on
    /// the thread count (which other code in the process may change): the parts' gradients are summed in part order, so a
    /// seed gives the same weights whatever the threads.
    /// </summary>
    public static int Parts(int rows) => Math.Clamp(rows / 64, 1, 8);

    /// <summary>Runs <paramref name="body"/>(first, last, part) on equal contiguous parts of the rows, on up to <paramref name="threads"/> threads.</summary>
    public static void RunParts(int rows, int parts, int threads, Action<int, int, int> body)
    {
        if (parts == 1 || threads <= 1)
        {
            for (int part = 0; part < parts; part++)
                body(part * rows / parts, (part + 1) * rows / parts, part);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            body(part * rows / parts, (part + 1) * rows / parts, part));
    }
}
