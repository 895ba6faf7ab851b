using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>The layer and the buffers reused by every step of <see cref="SparseDenseFunction"/> for it: Wᵀ and ∂L/∂Wᵀ, [features, units] each.</summary>
internal sealed class SparseDenseWorkspace : IDisposable
{
    private Tensor? _gradient, _weightGradient;

    /// <param name="layer">The first Dense layer.</param>
    /// <param name="fixedWeights">Inference: the weights do not change, so Wᵀ is made once.</param>
    public SparseDenseWorkspace(Linear layer, bool fixedWeights = false)
    {
        Layer = layer;
        FixedWeights = fixedWeights;
        // Owned by the workspace, not by whatever dispose scope is open when it is made.
        Kernel = empty(layer.in_features, layer.out_features).DetachFromDisposeScope();
    }

    /// <summary>Whether the layer's weights stay fixed while this workspace is used (scoring).</summary>
    public bool FixedWeights { get; }

    /// <summary>Whether <see cref="Kernel"/> holds Wᵀ of the fixed weights already.</summary>
    public bool KernelIsCurrent { get; set; }

    /// <summary>The layer whose weight gradient <see cref="SparseDenseFunction"/> accumulates.</summary>
    public Linear Layer { get; }

    /// <summary>Wᵀ, [features, units].</summary>
    public Tensor Kernel { get; }

    /// <summary>∂L/∂Wᵀ, [features, units] (made on first use: scoring never needs it).</summary>
    public Tensor Gradient => _gradient ??= empty(Layer.in_features, Layer.out_features).DetachFromDisposeScope();

    /// <summary>Storage handed to the layer as its weight gradient when it has none (the optimiser drops gradients every step).</summary>
    public Tensor WeightGradient => _weightGradient ??= empty(Layer.out_features, Layer.in_features).DetachFromDisposeScope();

    public void Dispose()
    {
        Kernel.Dispose();
        _gradient?.Dispose();
        _weightGradient?.Dispose();
    }
}
