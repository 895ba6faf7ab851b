using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;

namespace Mlx.Estimators;

/// <summary>The fully connected recurrent layer (Keras <c>SimpleRNN</c>, tanh): hₜ = tanh(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh). See <see cref="Layer.SimpleRnn"/>.</summary>
public sealed record SimpleRnnLayer(int Units, bool ReturnSequences, double InputDropout, double RecurrentDropout)
    : RecurrentLayer(Units, ReturnSequences, InputDropout, RecurrentDropout)
{
    internal const byte SavedKind = 14;

    /// <inheritdoc/>
    public override string Name => "SimpleRNN";

    internal override byte Kind => SavedKind;

    internal override int Gates => 1;

    internal override nn.Module CreateFused(int inputSize) => nn.RNN(inputSize, Units, batchFirst: true);

    internal override (Tensor Sequence, Tensor Last) RunFused(nn.Module fused, Tensor input)
    {
        var (sequence, h) = ((RNN)fused).call(input);
        return (sequence, h[0]);
    }

    internal override (PackedSequence Sequence, Tensor Last) RunFused(nn.Module fused, PackedSequence input)
    {
        var (sequence, h) = ((RNN)fused).call(input);
        return (sequence, h[0]);
    }

    internal override (Tensor Output, Tensor? Cell) Step(Tensor inputProjection, Tensor previous, Tensor dropped, Tensor? cell, Tensor recurrentWeight, Tensor recurrentBias)
    {
        using var recurrent = nn.functional.linear(dropped, recurrentWeight, recurrentBias);
        return ((inputProjection + recurrent).tanh_(), null);
    }
}
