using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;
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
public sealed class TextVectorizationTransformer : OneToOneTransformerBase
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

    private TextVectorizationTransformer(IHost host, ModelLoadContext ctx)
        : base(host, ctx)
    {
        // *** Binary format ***
        // <column pair>; byte standardize, split, output mode; int n-grams; int max tokens (−1: all); int sequence length
        // (−1: variable); int hash buckets; bool + vocabulary (documents, terms, idf)
        var r = ctx.Reader;
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
        _vocabulary = r.ReadBoolean() ? TextVocabulary.Load(r) : null;
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

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXTXTVC",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(TextVectorizationTransformer).Assembly.FullName);

    /// <summary>Saves the transformer in ML.NET's model format.</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SaveColumns(ctx);
        var w = ctx.Writer;
        w.Write((byte)_options.Standardize);
        w.Write((byte)_options.Split);
        w.Write((byte)_options.OutputMode);
        w.Write(_options.NGrams);
        w.Write(_options.MaxTokens ?? -1);
        w.Write(_options.SequenceLength ?? -1);
        w.Write(_options.HashBuckets);
        w.Write(_vocabulary != null);
        _vocabulary?.Save(w);
    }

    /// <summary>Validates the input column of a schema being transformed.</summary>
    public override void CheckInputColumn(DataViewSchema inputSchema, int col, int srcCol) =>
        TextVectorizationEstimator.TextColumn(inputSchema, inputSchema[srcCol].Name);

    /// <summary>Creates the lazy row mapper.</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private sealed class Mapper : OneToOneMapperBase
    {
        private readonly TextVectorizationTransformer _parent;

        public Mapper(TextVectorizationTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), parent, inputSchema)
        {
            _parent = parent;
        }

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
            var p = _parent;
            var options = p._options;
            var read = input.GetGetter<ReadOnlyMemory<char>>(input.Schema[ColMapNewToOld[iinfo]]);
            var tokenizer = new TextTokenizer(options.Standardize, options.Split, options.NGrams);
            var text = default(ReadOnlyMemory<char>);
            void Tokenize()
            {
                read(ref text);
                tokenizer.Tokenize(text.Span);
            }
            if (options.OutputMode == TextOutputMode.Int)
            {
                var vocabulary = p._vocabulary!;
                int? length = options.SequenceLength;
                return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) =>
                {
                    Tokenize();
                    int size = length ?? tokenizer.Count;
                    var editor = VBufferEditor.Create(ref value, size);
                    for (int i = 0; i < size; i++)
                        editor.Values[i] = i < tokenizer.Count ? (uint)(vocabulary.IndexOf(tokenizer.Token(i)) + 2) : 0u;   // −1 + 2 = 1: out of vocabulary
                    value = editor.Commit();
                });
            }
            int slots = p.OutputSize;
            var accumulated = new float[slots];
            var touched = new List<int>();
            var utf8 = new byte[64];
            int Slot(ReadOnlySpan<char> token) => options.OutputMode == TextOutputMode.Hashed
                ? (int)(System.IO.Hashing.XxHash32.HashToUInt32(TextTokenizer.Utf8(token, ref utf8)) % (uint)slots)
                : p._vocabulary!.IndexOf(token) + 1;           // −1 + 1 = slot 0, out of vocabulary
            bool counts = options.OutputMode is TextOutputMode.Count or TextOutputMode.TfIdf;
            var idf = options.OutputMode == TextOutputMode.TfIdf ? IdfWithUnknown(p._vocabulary!) : null;
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                Tokenize();
                for (int t = 0; t < tokenizer.Count; t++)
                {
                    int slot = Slot(tokenizer.Token(t));
                    if (accumulated[slot] == 0)
                        touched.Add(slot);
                    accumulated[slot] = counts ? accumulated[slot] + 1 : 1;
                }
                touched.Sort();
                var editor = VBufferEditor.Create(ref value, slots, touched.Count);
                for (int i = 0; i < touched.Count; i++)
                {
                    int slot = touched[i];
                    editor.Indices[i] = slot;
                    editor.Values[i] = idf != null ? (float)(accumulated[slot] * idf[slot]) : accumulated[slot];
                    accumulated[slot] = 0;
                }
                touched.Clear();
                value = editor.Commit();
            });
        }

        // Keras gives the out-of-vocabulary slot the mean idf of the vocabulary.
        private static double[] IdfWithUnknown(TextVocabulary vocabulary) =>
            [vocabulary.Idf!.Average(), .. vocabulary.Idf!];
    }

    private static TextVectorizationTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(TextVectorizationTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return MlxError.LoadingModel(LoaderSignature, () => new TextVectorizationTransformer(host, ctx));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
