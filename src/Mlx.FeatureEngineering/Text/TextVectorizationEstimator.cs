using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;
using Mlx.FeatureEngineering.Text;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Fits Keras' <c>TextVectorization</c> on a text column in one streaming pass: tokens counted (and their document
/// frequencies for TF-IDF), the <see cref="TextVectorizationOptions.MaxTokens"/> most frequent kept. Hashed mode needs
/// no pass. See <see cref="TextVectorizationTransformer"/> for what is written.
/// </summary>
public sealed class TextVectorizationEstimator : IEstimator<TextVectorizationTransformer>
{
    private readonly IHost _host;
    private readonly string _outputColumnName, _inputColumnName;
    private readonly TextVectorizationOptions _options;

    internal TextVectorizationEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName, TextVectorizationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        Validate(options);
        _host = env.Register(nameof(TextVectorizationEstimator));
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName ?? outputColumnName;
        _options = options;
    }

    /// <summary>Counts the tokens and keeps the vocabulary.</summary>
    public TextVectorizationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = TextColumn(input.Schema, _inputColumnName);
        if (_options.OutputMode == TextOutputMode.Hashed)
            return new TextVectorizationTransformer(_host, _outputColumnName, _inputColumnName, _options, vocabulary: null);
        var counter = Count(input, column);
        int reserved = _options.OutputMode == TextOutputMode.Int ? 2 : 1;
        var vocabulary = counter.Build(_options.MaxTokens - reserved, _options.OutputMode == TextOutputMode.TfIdf);
        if (vocabulary.Terms.Length == 0)
        {
            throw MlxError.CannotFit(_inputColumnName, counter.Documents == 0 ? "the data has no rows" : $"its {counter.Documents} texts hold no token after standardisation",
                "Fit on non-empty text (check the column and any filters), or use OutputMode = Hashed, which needs no vocabulary.");
        }
        using (var channel = _host.Start("TextVectorization"))
            channel.Info($"VectorizeText: {counter.Documents} texts, vocabulary of {vocabulary.Terms.Length} tokens ({_options.OutputMode}).");
        return new TextVectorizationTransformer(_host, _outputColumnName, _inputColumnName, _options, vocabulary);
    }

    // One pass over the cursor: texts are copied in blocks into one reused character arena, and the cores tokenise and
    // count interleaved shares of each block into counters of their own, merged at the end (counts and document
    // frequencies add up; the result does not depend on the split).
    private TextVocabulary.Counter Count(IDataView input, DataViewSchema.Column column)
    {
        const int BlockRows = 2048;
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 8));
        var counters = Enumerable.Range(0, workers).Select(_ => new TextVocabulary.Counter()).ToArray();
        var tokenizers = Enumerable.Range(0, workers).Select(_ => new TextTokenizer(_options.Standardize, _options.Split, _options.NGrams)).ToArray();
        var arena = new char[1 << 20];
        var offsets = new int[BlockRows + 1];
        using var cursor = input.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var text = default(ReadOnlyMemory<char>);
        bool more = true;
        while (more)
        {
            int rows = 0, used = 0;
            while (rows < BlockRows && (more = cursor.MoveNext()))
            {
                getter(ref text);
                if (used + text.Length > arena.Length)
                    Array.Resize(ref arena, Math.Max(arena.Length * 2, used + text.Length));
                text.Span.CopyTo(arena.AsSpan(used));
                used += text.Length;
                offsets[++rows] = used;
            }
            var block = arena;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w => CountShare(tokenizers[w], counters[w], block, offsets, rows, w, workers));
        }
        for (int w = 1; w < workers; w++)
            counters[0].Merge(counters[w]);
        return counters[0];
    }

    // Rows first, first + step, … of a block. Optimized at once: a fit calls it a few dozen times, too few for tiered
    // compilation to promote it while the work is being done.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void CountShare(TextTokenizer tokenizer, TextVocabulary.Counter counter, char[] block, int[] offsets, int rows, int first, int step)
    {
        for (int row = first; row < rows; row += step)
        {
            tokenizer.Tokenize(block.AsSpan(offsets[row], offsets[row + 1] - offsets[row]));
            counter.Add(tokenizer);
        }
    }

    /// <summary>The output column: a key vector (Int) or a Single vector with slot names.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(_inputColumnName, out var column))
            throw MlxError.MissingColumn(_inputColumnName, inputSchema.Select(c => c.Name), "inputColumnName");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw MlxError.WrongColumnType(_inputColumnName, "text (String)", column.ItemType.ToString() ?? "", "VectorizeText reads one text per row; concatenate text columns first.");
        var result = inputSchema.ToDictionary(c => c.Name);
        result[_outputColumnName] = _options.OutputMode == TextOutputMode.Int
            ? new SchemaShape.Column(_outputColumnName, _options.SequenceLength != null ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector,
                NumberDataViewType.UInt32, true,
                new SchemaShape([new SchemaShape.Column(AnnotationUtils.Kinds.KeyValues, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]))
            : new SchemaShape.Column(_outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
                _options.OutputMode == TextOutputMode.Hashed ? null
                    : new SchemaShape([new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]));
        return new SchemaShape(result.Values);
    }

    internal static DataViewSchema.Column TextColumn(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name) ?? throw MlxError.MissingColumn(name, schema.Select(c => c.Name), "inputColumnName");
        if (column.Type is not TextDataViewType)
            throw MlxError.WrongColumnType(name, "text (String)", column.Type.ToString() ?? "", "VectorizeText reads one text per row; concatenate text columns first.");
        return column;
    }

    private static void Validate(TextVectorizationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!Enum.IsDefined(o.Standardize) || !Enum.IsDefined(o.Split) || !Enum.IsDefined(o.OutputMode))
            throw new ArgumentOutOfRangeException(nameof(o), "Unknown standardisation, split or output mode.");
        if (o.NGrams < 1)
            throw new ArgumentOutOfRangeException(nameof(o.NGrams), o.NGrams, "NGrams must be 1 (single tokens) or more.");
        int reserved = o.OutputMode == TextOutputMode.Int ? 2 : 1;
        if (o.MaxTokens is int max && max <= reserved)
            throw new ArgumentOutOfRangeException(nameof(o.MaxTokens), max, $"MaxTokens counts the {(reserved == 2 ? "padding and out-of-vocabulary entries" : "out-of-vocabulary entry")}: give more than {reserved}.");
        if (o.SequenceLength is int length && (length < 1 || o.OutputMode != TextOutputMode.Int))
            throw new ArgumentOutOfRangeException(nameof(o.SequenceLength), length, "SequenceLength applies to OutputMode.Int and must be at least 1 (null for variable length).");
        if (o.OutputMode == TextOutputMode.Hashed && o.HashBuckets < 1)
            throw new ArgumentOutOfRangeException(nameof(o.HashBuckets), o.HashBuckets, "Hashed mode needs at least one bucket.");
    }
}
