using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Looks up a vector per token id: (batch, timesteps) ids held as Single → (batch, dimension, timesteps), channels first
/// like every sequence in the stack (Conv1D's layout; the recurrent layers transpose back, a view). Ids are checked
/// (whole numbers in [0, rows)) once per batch, and with <c>maskZero</c> the padding mask is published for the layers after.
/// </summary>
internal sealed class EmbeddingModule : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly SequenceMask? _mask;
    private readonly int _layerIndex;

    /// <summary>Whether the layers after it skip padding: maskZero, or a variable-length input (padded per batch).</summary>
    public bool Masks => _mask is not null;

    public EmbeddingModule(Embedding embedding, SequenceMask? mask, int layerIndex) : base(nameof(EmbeddingModule))
    {
        this.embedding = embedding;
        _mask = mask;
        _layerIndex = layerIndex;
        RegisterComponents();
    }

    /// <summary>The (tokens × dimension) matrix.</summary>
    public Parameter Weight => embedding.weight!;

    public override Tensor forward(Tensor input)
    {
        using var ids = input.to_type(ScalarType.Int64);
        CheckIds(input, ids);
        if (_mask != null)
            _mask.Current = ids.ne(0L);
        using var vectors = embedding.forward(ids);
        return vectors.transpose(1, 2);
    }

    private void CheckIds(Tensor input, Tensor ids)
    {
        long rows = Weight.shape[0];
        using var tooSmall = ids.lt(0L);
        using var tooLarge = ids.ge(rows);
        using var bad = tooSmall.logical_or_(tooLarge);
        using var asFloat = ids.to_type(input.dtype);
        using var fractional = asFloat.ne(input);
        bad.logical_or_(fractional);
        if (!bad.any().item<bool>())
            return;
        using var where = bad.nonzero();
        long example = where[0, 0].item<long>(), step = where[0, 1].item<long>();
        float value = input[example, step].item<float>();
        throw new ArgumentOutOfRangeException("input",
            $"Layer {_layerIndex} (Embedding): example {example} of the batch holds token id {value} at position {step}, but the embedding's ids are whole numbers from 0 to {rows - 1}. " +
            $"Make the Embedding's inputDimension at least the largest id + 1 (for VectorizeText: its vocabulary size + 2, for padding and out-of-vocabulary), or cap the vocabulary (MaxTokens).");
    }
}
