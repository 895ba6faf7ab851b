using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Runs a recurrent layer forwards and a copy of it (its own weights) over each row's real steps reversed, then merges
/// the two. With sequences returned, the backward outputs are put back in time order first (Keras' Bidirectional).
/// </summary>
internal sealed class BidirectionalModule : nn.Module<Tensor, Tensor>
{
    private readonly RecurrentModule forwards;
    private readonly RecurrentModule backwards;
    private readonly BidirectionalMerge _merge;
    private readonly SequenceMask? _mask;

    public BidirectionalModule(RecurrentModule forwards, RecurrentModule backwards, BidirectionalMerge merge, SequenceMask? mask) : base(nameof(BidirectionalModule))
    {
        this.forwards = forwards;
        this.backwards = backwards;
        _merge = merge;
        _mask = mask;
        RegisterComponents();
    }

    /// <summary>The forward and backward directions.</summary>
    public RecurrentModule[] Directions => [forwards, backwards];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var steps = input.transpose(1, 2);
        var mask = _mask?.Current;
        var lengths = mask is null ? null : SequenceSteps.PrefixLengths(mask);
        var (sequence, last) = forwards.Run(steps, mask);
        // A mask with holes is flipped with the sequence (Keras' go_backwards); prefix masks stay as they are.
        var reversedMask = mask is null ? null : lengths is null ? mask.flip(1) : mask;
        var (backSequence, backLast) = backwards.Run(SequenceSteps.Reverse(steps, lengths), reversedMask);
        var merged = forwards.Cell.ReturnSequences
            ? Merge(sequence!, SequenceSteps.Reverse(backSequence!, lengths), dimension: 2).transpose(1, 2)
            : Merge(last, backLast, dimension: 1);
        return merged.MoveToOuterDisposeScope();
    }

    private Tensor Merge(Tensor a, Tensor b, int dimension) => _merge switch
    {
        BidirectionalMerge.Concat => cat([a, b], dimension),
        BidirectionalMerge.Sum => a + b,
        BidirectionalMerge.Multiply => a * b,
        _ => (a + b) / 2,
    };
}
