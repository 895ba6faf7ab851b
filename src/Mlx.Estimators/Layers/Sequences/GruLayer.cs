using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;

namespace Mlx.Estimators;

/// <summary>
/// Gated recurrent unit (Keras <c>GRU</c> with its TF2 default <c>reset_after = true</c>, the formulation PyTorch's GRU
/// uses; see <see cref="Layer.Gru"/>). Gates r, z, n in PyTorch's order (Keras: z, r, h); two biases as in both.
/// </summary>
public sealed record GruLayer(int Units, bool ReturnSequences, double InputDropout, double RecurrentDropout)
    : RecurrentLayer(Units, ReturnSequences, InputDropout, RecurrentDropout)
{
    internal const byte SavedKind = 16;

    /// <inheritdoc/>
    public override string Name => "GRU";

    internal override byte Kind => SavedKind;

    internal override int Gates => 3;

    internal override nn.Module CreateFused(int inputSize) => nn.GRU(inputSize, Units, batchFirst: true);

    internal override (Tensor Sequence, Tensor Last) RunFused(nn.Module fused, Tensor input)
    {
        var (sequence, h) = ((GRU)fused).call(input);
        return (sequence, h[0]);
    }

    internal override (PackedSequence Sequence, Tensor Last) RunFused(nn.Module fused, PackedSequence input)
    {
        var (sequence, h) = ((GRU)fused).call(input);
        return (sequence, h[0]);
    }

    internal override bool UsesKernel(bool recurrentDropout) => true;

    internal override Tensor RunKernel(Tensor inputTerms, Tensor recurrentWeight, Tensor recurrentBias, int[] lengths, Tensor? recurrentMask) =>
        RecurrentKernelFunction.Apply((rows, steps, units, l, mask, threads) => new GruKernel(rows, steps, units, l, mask, threads),
            inputTerms, recurrentWeight, recurrentBias, lengths, recurrentMask);

    // h' = (1 − z)·n + z·h, with n = tanh(x_n + r·(W_hn·u + b_hn)) and u = h·mask the dropped output (u = h without
    // recurrent dropout): the mask reaches the recurrent product only, the update gate mixes the kept state (Keras 2's
    // implementation 1, Gal & Ghahramani; mixing the dropped state too amplifies it by 1/(1 − rate) at every kept step).
    internal override (Tensor Output, Tensor? Cell) Step(Tensor inputProjection, Tensor previous, Tensor dropped, Tensor? cell, Tensor recurrentWeight, Tensor recurrentBias)
    {
        using var recurrent = nn.functional.linear(dropped, recurrentWeight, recurrentBias);
        var x = inputProjection.chunk(3, 1);
        var h = recurrent.chunk(3, 1);
        using var r = (x[0] + h[0]).sigmoid_();
        using var z = (x[1] + h[1]).sigmoid_();
        using var n = (x[2] + r * h[2]).tanh_();
        foreach (var chunk in x.Concat(h))
            chunk.Dispose();
        return (n + z * (previous - n), null);
    }
}
