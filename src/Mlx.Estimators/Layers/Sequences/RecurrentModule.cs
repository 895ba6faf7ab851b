using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;

namespace Mlx.Estimators;

/// <summary>
/// One direction of a recurrent layer. Without recurrent dropout it runs libtorch's fused kernel — on packed sequences
/// when a padding mask leaves some rows shorter (padded steps are skipped: the last real step's state is the output, a
/// padded row scores exactly like the unpadded one) — and otherwise steps through time itself: Keras' recurrent dropout
/// draws one mask per sequence on the previous output and reuses it at every step, which no fused kernel does; masks with
/// holes (padding inside a row) also take this path, where a masked step keeps the previous state. Input dropout draws one
/// mask per sequence over the features (Keras' <c>dropout</c>), applied before either path. Outputs at padded steps are 0.
/// </summary>
internal sealed class RecurrentModule : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module fused;
    private readonly RecurrentLayer _cell;
    private readonly Generator _generator;
    private readonly SequenceMask? _mask;

    public RecurrentModule(RecurrentLayer cell, nn.Module fused, Generator generator, SequenceMask? mask) : base(nameof(RecurrentModule))
    {
        _cell = cell;
        this.fused = fused;
        _generator = generator;
        _mask = mask;
        RegisterComponents();
    }

    /// <summary>The layer this direction belongs to.</summary>
    public RecurrentLayer Cell => _cell;

    /// <summary>Runs the step-by-step path even without recurrent dropout (tests compare it with the fused kernel).</summary>
    internal bool ForceStepLoop { get; set; }

    /// <summary>Masks to use instead of drawing them (tests: a reference recomputes the run with the same masks).</summary>
    internal (Tensor Input, Tensor Recurrent)? FixedDropoutMasks { get; set; }

    /// <summary>The four weights of the cell in PyTorch's layout: W_ih (gates·units × features), W_hh, b_ih, b_hh.</summary>
    public static (Parameter InputWeight, Parameter RecurrentWeight, Parameter InputBias, Parameter RecurrentBias) Weights(nn.Module fused)
    {
        var p = fused.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        return (p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"]);
    }

    /// <summary>The cell's weights (see <see cref="Weights(nn.Module)"/>).</summary>
    public (Parameter InputWeight, Parameter RecurrentWeight, Parameter InputBias, Parameter RecurrentBias) CellWeights => Weights(fused);

    /// <summary>(batch, features, timesteps) → (batch, units) or, returning sequences, (batch, units, timesteps).</summary>
    public override Tensor forward(Tensor input)
    {
        using var steps = input.transpose(1, 2);
        var (sequence, last) = Run(steps, _mask?.Current);
        if (!_cell.ReturnSequences)
        {
            sequence?.Dispose();
            return last;
        }
        last.Dispose();
        using (sequence)
            return sequence!.transpose(1, 2);
    }

    /// <summary>
    /// Runs the direction over batch-first <paramref name="input"/> (batch, timesteps, features) with an optional
    /// (batch, timesteps) mask of real steps: every step's output (only when the layer returns sequences) and the last state.
    /// </summary>
    public (Tensor? Sequence, Tensor Last) Run(Tensor input, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var x = input;
        if (training && _cell.InputDropout > 0)
            x = x * (FixedDropoutMasks?.Input ?? DropMask(input.shape[0], input.shape[2], _cell.InputDropout)).unsqueeze(1);
        bool dropRecurrent = training && _cell.RecurrentDropout > 0;
        var prefix = mask is null ? null : SequenceSteps.PrefixLengths(mask);
        if (!ForceStepLoop && (mask is null || prefix is not null) && _cell.UsesKernel(dropRecurrent))
        {
            var fromKernel = RunKernel(x, prefix, dropRecurrent);
            return (_cell.ReturnSequences ? fromKernel.Sequence.MoveToOuterDisposeScope() : null, fromKernel.Last.MoveToOuterDisposeScope());
        }
        var (sequence, last) = dropRecurrent || ForceStepLoop || (mask is not null && prefix is null)
            ? StepLoop(x, mask, dropRecurrent)
            : prefix is { } lengths && lengths.min().item<long>() < input.shape[1] ? FusedPacked(x, mask!, lengths) : _cell.RunFused(fused, x);
        return (_cell.ReturnSequences ? sequence.MoveToOuterDisposeScope() : null, last.MoveToOuterDisposeScope());
    }

    // The cell's own kernel (GRU; LSTM with recurrent dropout), with padding given as row lengths: the last state is the output at each row's last real step.
    private (Tensor Sequence, Tensor Last) RunKernel(Tensor x, Tensor? lengths, bool dropRecurrent)
    {
        var (wIh, wHh, bIh, bHh) = CellWeights;
        long rows = x.shape[0], steps = x.shape[1];
        var rowLengths = lengths is null ? Enumerable.Repeat((int)steps, (int)rows).ToArray() : lengths.to_type(ScalarType.Int32).data<int>().ToArray();
        var recurrentMask = dropRecurrent ? FixedDropoutMasks?.Recurrent ?? DropMask(rows, _cell.Units, _cell.RecurrentDropout) : null;
        using var inputTerms = nn.functional.linear(x, wIh, bIh);
        var sequence = _cell.RunKernel(inputTerms, wHh, bHh, rowLengths, recurrentMask);
        if (lengths is null)
            return (sequence, sequence.select(1, steps - 1));
        // Row n's last real step is lengths[n] − 1; a row of length 0 reads step 0, which the kernel left at 0.
        using var last = (lengths - 1).clamp_min(0).view(rows, 1, 1).expand(rows, 1, _cell.Units);
        return (sequence, sequence.gather(1, last).squeeze(1));
    }

    private (Tensor Sequence, Tensor Last) FusedPacked(Tensor x, Tensor mask, Tensor lengths)
    {
        // Packing refuses empty rows: they run one (padding) step, and their outputs are zeroed below, as masking would leave them.
        var packed = pack_padded_sequence(x, lengths.clamp_min(1), batch_first: true, enforce_sorted: false);
        var (packedSequence, last) = _cell.RunFused(fused, packed);
        var (sequence, _) = pad_packed_sequence(packedSequence, batch_first: true, total_length: x.shape[1]);
        packed.Dispose();
        packedSequence.Dispose();
        var real = mask.to_type(x.dtype);
        return (sequence * real.unsqueeze(2), last * lengths.gt(0).to_type(x.dtype).unsqueeze(1));
    }

    private (Tensor Sequence, Tensor Last) StepLoop(Tensor x, Tensor? mask, bool dropRecurrent)
    {
        var (wIh, wHh, bIh, bHh) = CellWeights;
        long batch = x.shape[0], timesteps = x.shape[1];
        int units = _cell.Units;
        var projections = nn.functional.linear(x, wIh, bIh); // every step's input term in one product
        var h = zeros(batch, units, dtype: x.dtype);
        var c = _cell is LstmLayer ? zeros(batch, units, dtype: x.dtype) : null;
        var recurrentMask = dropRecurrent ? FixedDropoutMasks?.Recurrent ?? DropMask(batch, units, _cell.RecurrentDropout) : null;
        var outputs = new Tensor[timesteps];
        for (long t = 0; t < timesteps; t++)
        {
            var dropped = recurrentMask is null ? h : h * recurrentMask;
            var (output, cell) = _cell.Step(projections.select(1, t), h, dropped, c, wHh, bHh);
            if (mask is not null)
            {
                var real = mask.select(1, t).unsqueeze(1);
                h = where(real, output, h);
                c = cell is null ? null : where(real, cell, c!);
                outputs[t] = output * real.to_type(x.dtype);
            }
            else
            {
                h = output;
                c = cell;
                outputs[t] = output;
            }
        }
        return (_cell.ReturnSequences ? stack(outputs, 1) : outputs[^1], h);
    }

    // Keras' dropout masks: kept with probability 1 − rate and scaled by 1 / (1 − rate), one per sequence.
    private Tensor DropMask(long rows, long columns, double rate) =>
        rand(new[] { rows, columns }, generator: _generator).ge_(rate).to_type(ScalarType.Float32).div_(1 - rate);
}
