using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Mlx.FeatureEngineering;
using Mlx.FeatureEngineering.Text;

[assembly: LoadableClass(typeof(TextVectorizationTransformer), null, typeof(SignatureLoadModel),
    TextVectorizationTransformer.UserName, TextVectorizationTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(TextVectorizationTransformer), null, typeof(SignatureLoadRowMapper),
    TextVectorizationTransformer.UserName, TextVectorizationTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(TextVectorizationTransformer), null, typeof(SignatureLoadDataTransform),
    TextVectorizationTransformer.UserName, TextVectorizationTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted Keras <c>TextVectorization</c>. <b>Int</b>: token ids as a key vector (UInt32 keys whose raw value is the id:
/// 0 = padding, shown by ML.NET as a missing key; 1 = out of vocabulary; <c>2 + i</c> = <see cref="Vocabulary"/>[i]; key
/// names "[UNK]", then the vocabulary), padded or truncated to the sequence length, or of variable length.
/// <b>MultiHot</b>, <b>Count</b>, <b>TfIdf</b>: a sparse Single vector of 1 + vocabulary size slots named "[UNK]", then
/// the vocabulary. <b>Hashed</b>: multi-hot over XxHash32(UTF-8 token) mod buckets (Keras hashes with FarmHash: the
/// buckets differ, the trick is the same). An empty text writes all padding / zeros.
/// </summary>
public sealed class TextVectorizationTransformer : OneToOneTransformerBase, ITransformer
{
    internal const string LoaderSignature = "MlxTextVectorization";
    internal const string UserName = "Mlx Text Vectorization";
    private const string Unknown = "[UNK]";

    private readonly TextVectorizationOptions _options;
    private readonly TextVocabulary? _vocabulary;

    internal TextVectorizationTransformer(IHostEnvironment env, string outputColumnName, string inputColumnName, TextVectorizationOptions options, TextVocabulary? vocabulary)
        : base(env.Register(nameof(TextVectorizationTransformer)), (outputColumnName, inputColumnName))
    {
        _options = Copy(options);
        _vocabulary = vocabulary;
    }

    private TextVectorizationTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx)
    {
        // *** Binary format ***
        // sealed state: a copy of the column pair; byte standardize, split, output mode; int n-grams; int max tokens (−1: all); int sequence length
        // (−1: variable); int hash buckets; bool + vocabulary (documents, terms, idf). Then <column pair>.
        // Before 0x00010002: <column pair>, then the same fields unsealed.
        state.CheckColumns(ColumnPairs);
        var r = state.Reader;
        _options = new TextVectorizationOptions
        {
            Standardize = (TextStandardization)r.ReadByte(),
            Split = (TextSplit)r.ReadByte(),
            OutputMode = (TextOutputMode)r.ReadByte(),
            NGrams = r.ReadInt32(),
            MaxTokens = r.ReadInt32() is var max && max >= 0 ? max : null,
            SequenceLength = r.ReadInt32() is var length && length >= 0 ? length : null,
            HashBuckets = r.ReadInt32(),
        };
        if (!Enum.IsDefined(_options.Standardize) || !Enum.IsDefined(_options.Split) || !Enum.IsDefined(_options.OutputMode) || _options.NGrams < 1)
            throw MlxError.DamagedModel(LoaderSignature, "its options", "an enumeration value or the n-gram count is out of range");
        if (_options.HashBuckets < 1 || _options.MaxTokens < 1 || _options.SequenceLength < 1)
            throw MlxError.DamagedModel(LoaderSignature, "its options", $"hash buckets {_options.HashBuckets}, max tokens {_options.MaxTokens}, sequence length {_options.SequenceLength}: not positive");
        _vocabulary = r.ReadBoolean() ? TextVocabulary.Load(state) : null;
        if ((_vocabulary == null) != (_options.OutputMode == TextOutputMode.Hashed))
            throw MlxError.DamagedModel(LoaderSignature, "its vocabulary", "present for hashing or missing for a vocabulary mode");
    }

    /// <summary>The output mode and the other settings it was fitted with.</summary>
    public TextVectorizationOptions Options => Copy(_options);

    /// <summary>The vocabulary, most frequent first (without "[UNK]" and padding); empty in Hashed mode.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary?.Terms ?? [];

    /// <summary>
    /// Int mode: the token of each id — "" for 0 (padding), "[UNK]" for 1 (out of vocabulary), then the vocabulary — for
    /// <c>EmbeddingWeights.FromGloveFile</c> and for reading ids back; empty in Hashed mode.
    /// </summary>
    public IReadOnlyList<string> TokensById => _vocabulary is null ? [] : ["", Unknown, .. _vocabulary.Terms];

    /// <summary>TF-IDF mode: the inverse document frequency of each vocabulary term, Keras' log(1 + N / (1 + df)).</summary>
    public IReadOnlyList<double>? InverseDocumentFrequencies => _vocabulary?.Idf;

    /// <summary>The output vector's size (Int with variable length: 0).</summary>
    public int OutputSize => _options.OutputMode switch
    {
        TextOutputMode.Int => _options.SequenceLength ?? 0,
        TextOutputMode.Hashed => _options.HashBuckets,
        _ => 1 + _vocabulary!.Terms.Length,
    };

    private static TextVectorizationOptions Copy(TextVectorizationOptions o) => new()
    {
        Standardize = o.Standardize, Split = o.Split, NGrams = o.NGrams, MaxTokens = o.MaxTokens, OutputMode = o.OutputMode,
        SequenceLength = o.SequenceLength, HashBuckets = o.HashBuckets,
    };

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXTXTVC",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(TextVectorizationTransformer).Assembly.FullName);

    /// <summary>Saves the transformer in ML.NET's model format.</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SavedState.Save(ctx, w =>
        {
            SavedState.WriteColumns(w, ColumnPairs);
            w.Write((byte)_options.Standardize);
            w.Write((byte)_options.Split);
            w.Write((byte)_options.OutputMode);
            w.Write(_options.NGrams);
            w.Write(_options.MaxTokens ?? -1);
            w.Write(_options.SequenceLength ?? -1);
            w.Write(_options.HashBuckets);
            w.Write(_vocabulary != null);
            _vocabulary?.Save(w);
        });
        SaveColumns(ctx);
    }

    /// <summary>Validates the input column of a schema being transformed.</summary>
    public override void CheckInputColumn(DataViewSchema inputSchema, int col, int srcCol) =>
        TextVectorizationEstimator.TextColumn(inputSchema, inputSchema[srcCol].Name);

    /// <summary>Creates the lazy row mapper (PredictionEngine and ML.NET's row-to-row paths).</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    /// <summary>
    /// Vectorizes <paramref name="input"/> lazily, batches of 1,024 texts split over the cores (a single cursor would
    /// otherwise tokenize on one); same rows, order and schema as the row mapper.
    /// </summary>
    public new IDataView Transform(IDataView input)
    {
        Host.CheckValue(input, nameof(input));
        var mapper = new Mapper(this, input.Schema);
        var outputs = mapper.Columns();
        int source = input.Schema[ColumnPairs[0].inputColumnName].Index;
        bool ids = _options.OutputMode == TextOutputMode.Int;
        return new Mlx.Core.Batching.BatchedMapDataView(Host, input, outputs, [source], 1024,
            (row, capacity) => new TextVectorizationBatch(row, ColumnPairs[0].inputColumnName, capacity, CreateEncoder, ids, OutputSize));
    }

    IDataView ITransformer.Transform(IDataView input) => Transform(input);

    private TextRowEncoder CreateEncoder() =>
        new(_options, _vocabulary, _options.OutputMode == TextOutputMode.Int ? 0 : OutputSize,
            _options.OutputMode == TextOutputMode.TfIdf ? IdfWithUnknown(_vocabulary!) : null);

    private sealed class Mapper : OneToOneMapperBase
    {
        private readonly TextVectorizationTransformer _parent;

        public Mapper(TextVectorizationTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), parent, inputSchema)
        {
            _parent = parent;
        }

        /// <summary>The output column (name, type, key names or slot names).</summary>
        public DataViewSchema.DetachedColumn[] Columns() => GetOutputColumnsCore();

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            var p = _parent;
            string name = p.ColumnPairs[0].outputColumnName;
            var names = new[] { Unknown }.Concat(p.Vocabulary).Select(t => t.AsMemory()).ToArray();
            if (p._options.OutputMode == TextOutputMode.Int)
            {
                var key = new KeyDataViewType(typeof(uint), names.Length);
                var annotations = new DataViewSchema.Annotations.Builder();
                annotations.Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(TextDataViewType.Instance, names.Length),
                    (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
                return [new DataViewSchema.DetachedColumn(name, new VectorDataViewType(key, p.OutputSize), annotations.ToAnnotations())];
            }
            if (p._options.OutputMode == TextOutputMode.Hashed)
                return [new DataViewSchema.DetachedColumn(name, new VectorDataViewType(NumberDataViewType.Single, p.OutputSize))];
            var slots = new DataViewSchema.Annotations.Builder();
            slots.AddSlotNames(names.Length, (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
            return [new DataViewSchema.DetachedColumn(name, new VectorDataViewType(NumberDataViewType.Single, p.OutputSize), slots.ToAnnotations())];
        }

        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var read = input.GetGetter<ReadOnlyMemory<char>>(input.Schema[ColMapNewToOld[iinfo]]);
            var encoder = _parent.CreateEncoder();
            var text = default(ReadOnlyMemory<char>);
            if (_parent._options.OutputMode == TextOutputMode.Int)
            {
                var ids = new List<uint>();
                return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) =>
                {
                    read(ref text);
                    ids.Clear();
                    encoder.AppendIds(text.Span, ids);
                    var editor = VBufferEditor.Create(ref value, ids.Count);
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids).CopyTo(editor.Values);
                    value = editor.Commit();
                });
            }
            int slots = _parent.OutputSize;
            var indices = new List<int>();
            var values = new List<float>();
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                read(ref text);
                indices.Clear();
                values.Clear();
                encoder.AppendSlots(text.Span, indices, values);
                value = TextRowEncoder.Vector(ref value, slots, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(indices), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
            });
        }

    }

    // Keras gives the out-of-vocabulary slot the mean idf of the vocabulary.
    private static double[] IdfWithUnknown(TextVocabulary vocabulary) =>
        [vocabulary.Idf!.Average(), .. vocabulary.Idf!];

    private static TextVectorizationTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(TextVectorizationTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new TextVectorizationTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
