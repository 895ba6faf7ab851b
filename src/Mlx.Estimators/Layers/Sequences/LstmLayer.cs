using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;

namespace Mlx.Estimators;

/// <summary>
/// Long short-term memory (Keras <c>LSTM</c>; see <see cref="Layer.Lstm"/>). Gates i, f, g, o in PyTorch's order (Keras
/// names the third c); PyTorch's second bias b_hh starts at zero, so the pair equals Keras' one bias.
/// </summary>
public sealed record LstmLayer(int Units, bool ReturnSequences, double InputDropout, double RecurrentDropout)
    : RecurrentLayer(Units, ReturnSequences, InputDropout, RecurrentDropout)
{
    internal const byte SavedKind = 15;

    /// <inheritdoc/>
    public override string Name => "LSTM";

    internal override byte Kind => SavedKind;

    internal override int Gates => 4;

    internal override nn.Module CreateFused(int inputSize) => nn.LSTM(inputSize, Units, batchFirst: true);

    internal override (Tensor Sequence, Tensor Last) RunFused(nn.Module fused, Tensor input)
    {
        var (sequence, h, c) = ((LSTM)fused).call(input);
        c.Dispose();
        return (sequence, h[0]);
    }

    internal override (PackedSequence Sequence, Tensor Last) RunFused(nn.Module fused, PackedSequence input)
    {
        var (sequence, h, c) = ((LSTM)fused).call(input);
        c.Dispose();
        return (sequence, h[0]);
    }

    // libtorch's fused LSTM (oneDNN) is the fastest without recurrent dropout; with it, Mlx's kernel.
    internal override bool UsesKernel(bool recurrentDropout) => recurrentDropout;

    internal override Tensor RunKernel(Tensor inputTerms, Tensor recurrentWeight, Tensor recurrentBias, int[] lengths, Tensor? recurrentMask) =>
        RecurrentKernelFunction.Apply((rows, steps, units, l, mask, threads) => new LstmKernel(rows, steps, units, l, mask, threads),
                inputTerms, recurrentWeight, recurrentBias, lengths, recurrentMask);

    // Keras' unit_forget_bias: the forget gate's bias starts at 1.
    internal override void InitializeBias(Tensor inputBias) => inputBias.narrow(0, Units, Units).fill_(1f);

    internal override (Tensor Output, Tensor? Cell) Step(Tensor inputProjection, Tensor previous, Tensor dropped, Tensor? cell, Tensor recurrentWeight, Tensor recurrentBias)
    {
        using var gates = inputProjection + nn.functional.linear(dropped, recurrentWeight, recurrentBias);
        var chunks = gates.chunk(4, 1);
        using var i = chunks[0].sigmoid();
        using var f = chunks[1].sigmoid();
        using var g = chunks[2].tanh();
        using var o = chunks[3].sigmoid();
        foreach (var chunk in chunks)
            chunk.Dispose();
        var newCell = f * cell! + i * g;
        using var squashed = newCell.tanh();
        return (o * squashed, newCell);
    }
}
