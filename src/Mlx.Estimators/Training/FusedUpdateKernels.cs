using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mlx.Estimators;

/// <summary>
/// The optimisers' per-element rules as single SIMD passes over the parameter, gradient and state memory, run on
/// the training thread (which flushes denormals). A libtorch update is 4–6 separate elementwise kernels, each a
/// full pass plus a native call; these read and write each value once (784-512-10 RMSProp: 0.58 ms per step in
/// tensor ops, measured). Same arithmetic as PyTorch's formulas, in float32.
/// </summary>
internal static class FusedUpdateKernels
{
    /// <summary>RMSProp: v ← ρv + (1 − ρ)g²; w ← w − lr·g/(√v + ε).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsProp(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float lr, float rho, float eps)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vRho = Vector256.Create(rho);
            var vOneMinus = Vector256.Create(1 - rho);
            var vLr = Vector256.Create(lr);
            var vEps = Vector256.Create(eps);
            ref float wr = ref MemoryMarshal.GetReference(w);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float vr = ref MemoryMarshal.GetReference(v);
            for (; i <= w.Length - 8; i += 8)
            {
                var gi = Vector256.LoadUnsafe(ref gr, (nuint)i);
                var vi = Vector256.LoadUnsafe(ref vr, (nuint)i) * vRho + gi * gi * vOneMinus;
                vi.StoreUnsafe(ref vr, (nuint)i);
                (Vector256.LoadUnsafe(ref wr, (nuint)i) - vLr * gi / (Vector256.Sqrt(vi) + vEps)).StoreUnsafe(ref wr, (nuint)i);
            }
        }
        for (; i < w.Length; i++)
        {
            v[i] = v[i] * rho + g[i] * g[i] * (1 - rho);
            w[i] -= lr * g[i] / (MathF.Sqrt(v[i]) + eps);
        }
    }

    /// <summary>Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; w ← w − (lr/c₁)·m/(√v/√c₂ + ε).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float step, float beta1, float beta2, float sqrtCorrection2, float eps)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(beta1);
            var c1 = Vector256.Create(1 - beta1);
            var b2 = Vector256.Create(beta2);
            var c2 = Vector256.Create(1 - beta2);
            var vStep = Vector256.Create(step);
            var vSqrt2 = Vector256.Create(sqrtCorrection2);
            var vEps = Vector256.Create(eps);
            ref float wr = ref MemoryMarshal.GetReference(w);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float mr = ref MemoryMarshal.GetReference(m);
            ref float vr = ref MemoryMarshal.GetReference(v);
            for (; i <= w.Length - 8; i += 8)
            {
                var gi = Vector256.LoadUnsafe(ref gr, (nuint)i);
                var mi = Vector256.LoadUnsafe(ref mr, (nuint)i) * b1 + gi * c1;
                var vi = Vector256.LoadUnsafe(ref vr, (nuint)i) * b2 + gi * gi * c2;
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                (Vector256.LoadUnsafe(ref wr, (nuint)i) - vStep * mi / (Vector256.Sqrt(vi) / vSqrt2 + vEps)).StoreUnsafe(ref wr, (nuint)i);
            }
        }
        for (; i < w.Length; i++)
        {
            m[i] = m[i] * beta1 + g[i] * (1 - beta1);
            v[i] = v[i] * beta2 + g[i] * g[i] * (1 - beta2);
            w[i] -= step * m[i] / (MathF.Sqrt(v[i]) / sqrtCorrection2 + eps);
        }
    }

    /// <summary>Adagrad: s ← s + g²; w ← w − lr·g/(√s + ε).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> s, float lr, float eps)
    {
        for (int i = 0; i < w.Length; i++)
        {
            s[i] += g[i] * g[i];
            w[i] -= lr * g[i] / (MathF.Sqrt(s[i]) + eps);
        }
    }
}
