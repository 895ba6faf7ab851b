using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// A Dense layer's <c>x·Wᵀ + b</c> on sparse rows, as an autograd function: the forward pass adds, for each non-zero
/// x_j of a row, x_j times row j of Wᵀ; the backward pass scatters the output gradient back the same way
/// (∂L/∂Wᵀ[j] += x_j · ∂L/∂y) and ∂L/∂b is the column sum. Cost per row: non-zeros × units, instead of
/// features × units for the dense product. The weights stay a Linear's [units, features] matrix, so the trained
/// layer is an ordinary Linear (saved as any other; scored by this function on sparse rows, densely otherwise).
/// </summary>
/// <remarks>
/// ∂L/∂W is added straight into <c>W.grad</c> (the function reports no gradient for W to autograd), through
/// reused buffers: a fresh 640 KB gradient per step for a 10,000 → 16 layer cost more in page faults than the
/// arithmetic (measured).
/// </remarks>
internal sealed class SparseDenseFunction : autograd.SingleTensorFunction<SparseDenseFunction>
{
    private const string BatchKey = "batch", WorkspaceKey = "workspace";

    public override string Name => "MlxSparseDense";

    /// <summary>x·Wᵀ + b for the rows of <paramref name="batch"/>.</summary>
    public static Tensor Apply(Linear layer, SparseBatch batch, SparseDenseWorkspace workspace) =>
        apply(layer.weight!, layer.bias!, batch, workspace);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var weight = (Tensor)vars[0];
        var bias = vars[1] as Tensor;
        var batch = (SparseBatch)vars[2];
        var workspace = (SparseDenseWorkspace)vars[3];
        ctx.save_data(BatchKey, batch);
        ctx.save_data(WorkspaceKey, workspace);
        int units = (int)weight.shape[0], features = (int)weight.shape[1];
        // Wᵀ, [features, units]: row j is what slot j adds. Every step in training; once when scoring (fixed weights).
        if (!workspace.KernelIsCurrent)
        {
            if (TensorMemory.AreContiguousFloats(weight))
            {
                Transpose(TensorMemory.Floats(weight), units, features, TensorMemory.Floats(workspace.Kernel), add: false);
            }
            else
            {
                using (no_grad())
                    workspace.Kernel.copy_(weight.t());
            }
            workspace.KernelIsCurrent = workspace.FixedWeights;
        }
        var output = empty(batch.Rows, units);
        Forward(batch, TensorMemory.Floats(workspace.Kernel), bias is null ? default : TensorMemory.Floats(bias), TensorMemory.Floats(output), units);
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var batch = (SparseBatch)ctx.get_data(BatchKey);
        var workspace = (SparseDenseWorkspace)ctx.get_data(WorkspaceKey);
        var weight = workspace.Layer.weight!;
        using var gradient = grad_output.contiguous();
        int units = (int)gradient.shape[1];
        var kernelGradient = TensorMemory.Floats(workspace.Gradient);
        kernelGradient.Clear();
        Backward(batch, TensorMemory.Floats(gradient), kernelGradient, units);
        int features = batch.Source.Dimension;
        using var existing = weight.grad;
        if (existing is not null && TensorMemory.AreContiguousFloats(existing))
        {
            Transpose(kernelGradient, features, units, TensorMemory.Floats(existing), add: true);
        }
        else if (existing is not null)
        {
            using (no_grad())
                existing.add_(workspace.Gradient.t());
        }
        else
        {
            Transpose(kernelGradient, features, units, TensorMemory.Floats(workspace.WeightGradient), add: false);
            weight.grad = workspace.WeightGradient;
        }
        return new List<Tensor> { null!, workspace.Layer.bias is null ? null! : gradient.sum(new long[] { 0 }), null!, null! };
    }

    /// <summary>
    /// destination[c, r] = (or +=) source[r, c] for a [rows, columns] source, in tiles of 64 source columns so that
    /// reads and writes both stay in cache (libtorch's strided copy took 130 µs for 16 × 10,000 here, this 95 µs,
    /// and it wakes no OpenMP threads).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination, bool add)
    {
        const int Tile = 64;
        for (int c0 = 0; c0 < columns; c0 += Tile)
        {
            int c1 = Math.Min(columns, c0 + Tile);
            for (int r = 0; r < rows; r++)
            {
                var row = source.Slice(r * columns, columns);
                for (int c = c0; c < c1; c++)
                {
                    if (add)
                        destination[c * rows + r] += row[c];
                    else
                        destination[c * rows + r] = row[c];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward(SparseBatch batch, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> output, int units)
    {
        ref int slots = ref MemoryMarshal.GetReference(batch.Source.Indices);
        ref float values = ref MemoryMarshal.GetReference(batch.Source.Values);
        ref float w = ref MemoryMarshal.GetReference(kernel);
        int width = Vector<float>.Count, blocks = units / (2 * width) * (2 * width);
        for (int r = 0; r < batch.Rows; r++)
        {
            var y = output.Slice(r * units, units);
            ref float yRef = ref MemoryMarshal.GetReference(y);
            var (start, length) = batch.Source.Row(batch.RowNumbers[r]);
            // Two vectors of units at a time, accumulated in registers over the row's non-zeros, even and odd
            // non-zeros in separate accumulators (the FMA latency chain is the bound otherwise).
            for (int c = 0; c < blocks; c += 2 * width)
            {
                Vector<float> a0 = default, a1 = default, b0 = default, b1 = default;
                int k = start, end = start + length;
                for (; k + 1 < end; k += 2)
                {
                    ref float w0 = ref Unsafe.Add(ref w, Unsafe.Add(ref slots, k) * units + c);
                    ref float w1 = ref Unsafe.Add(ref w, Unsafe.Add(ref slots, k + 1) * units + c);
                    var v0 = new Vector<float>(Unsafe.Add(ref values, k));
                    var v1 = new Vector<float>(Unsafe.Add(ref values, k + 1));
                    a0 = Vector.FusedMultiplyAdd(v0, Vector.LoadUnsafe(ref w0), a0);
                    a1 = Vector.FusedMultiplyAdd(v0, Vector.LoadUnsafe(ref w0, (nuint)width), a1);
                    b0 = Vector.FusedMultiplyAdd(v1, Vector.LoadUnsafe(ref w1), b0);
                    b1 = Vector.FusedMultiplyAdd(v1, Vector.LoadUnsafe(ref w1, (nuint)width), b1);
                }
                if (k < end)
                {
                    ref float w0 = ref Unsafe.Add(ref w, Unsafe.Add(ref slots, k) * units + c);
                    var v0 = new Vector<float>(Unsafe.Add(ref values, k));
                    a0 = Vector.FusedMultiplyAdd(v0, Vector.LoadUnsafe(ref w0), a0);
                    a1 = Vector.FusedMultiplyAdd(v0, Vector.LoadUnsafe(ref w0, (nuint)width), a1);
                }
                var bias0 = bias.IsEmpty ? default : Vector.LoadUnsafe(ref MemoryMarshal.GetReference(bias), (nuint)c);
                var bias1 = bias.IsEmpty ? default : Vector.LoadUnsafe(ref MemoryMarshal.GetReference(bias), (nuint)(c + width));
                (a0 + b0 + bias0).StoreUnsafe(ref yRef, (nuint)c);
                (a1 + b1 + bias1).StoreUnsafe(ref yRef, (nuint)(c + width));
            }
            for (int o = blocks; o < units; o++)
            {
                float sum = bias.IsEmpty ? 0 : bias[o];
                for (int k = start; k < start + length; k++)
                    sum += Unsafe.Add(ref values, k) * Unsafe.Add(ref w, Unsafe.Add(ref slots, k) * units + o);
                y[o] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward(SparseBatch batch, ReadOnlySpan<float> gradient, Span<float> kernelGradient, int units)
    {
        ref int slots = ref MemoryMarshal.GetReference(batch.Source.Indices);
        ref float values = ref MemoryMarshal.GetReference(batch.Source.Values);
        ref float dw = ref MemoryMarshal.GetReference(kernelGradient);
        int width = Vector<float>.Count, blocks = units / width * width;
        for (int r = 0; r < batch.Rows; r++)
        {
            ref float g = ref MemoryMarshal.GetReference(gradient.Slice(r * units, units));
            var (start, length) = batch.Source.Row(batch.RowNumbers[r]);
            for (int k = start; k < start + length; k++)
            {
                ref float row = ref Unsafe.Add(ref dw, Unsafe.Add(ref slots, k) * units);
                float x = Unsafe.Add(ref values, k);
                var v = new Vector<float>(x);
                for (int c = 0; c < blocks; c += width)
                    Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref g, (nuint)c), Vector.LoadUnsafe(ref row, (nuint)c)).StoreUnsafe(ref row, (nuint)c);
                for (int c = blocks; c < units; c++)
                    Unsafe.Add(ref row, c) += x * Unsafe.Add(ref g, c);
            }
        }
    }
}
