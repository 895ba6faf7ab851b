using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Runtime;
using Mlx.Core.Batching;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Mlx.Vision;

[assembly: LoadableClass(typeof(FeaturizeImageTransformer), null, typeof(SignatureLoadModel),
    FeaturizeImageTransformer.UserName, FeaturizeImageTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(FeaturizeImageTransformer), null, typeof(SignatureLoadRowMapper),
    FeaturizeImageTransformer.UserName, FeaturizeImageTransformer.LoaderSignature)]

namespace Mlx.Vision;

/// <summary>
/// Turns images into a pretrained backbone's features (a known-size <see cref="float"/> vector), in batches.
/// <see cref="Transform"/> returns a lazy view whose cursor runs the network once per batch; the
/// row-by-row path (<c>PredictionEngine</c>) runs batches of one. The ONNX model is saved inside the
/// ML.NET model, so a loaded model needs no separate file.
/// </summary>
public sealed class FeaturizeImageTransformer : OneToOneTransformerBase, ITransformer, IDisposable
{
    internal const string LoaderSignature = "MlxFeaturizeImage";
    internal const string UserName = "Mlx Featurize Image";
    private const string OnnxStreamName = "OnnxBackbone";

    private readonly Lazy<InferenceSession> _session;

    internal FeaturizeImageTransformer(IHostEnvironment env, string outputColumnName, string inputColumnName, bool inputIsImage,
        OnnxBackbone backbone, int batchSize, int intraOpThreads, BadImageHandling badImages)
        : base(env.Register(nameof(FeaturizeImageTransformer)), (outputColumnName, inputColumnName))
    {
        BadImages = badImages;
        InputIsImage = inputIsImage;
        Backbone = backbone;
        BatchSize = batchSize;
        IntraOpThreads = intraOpThreads;
        Normalizer = new PixelNormalizer(backbone);
        _session = new Lazy<InferenceSession>(CreateSession);
    }

    private FeaturizeImageTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx)
    {
        // *** Binary format ***
        // (0x00010003+) sealed state: a copy of the column pair, then the fields below, then <column pair>; before,
        // <column pair> then the fields unsealed. byte: input is image; int: batch size; int: intra-op threads; string: name, input, output;
        // int C, H, W; int + int[]: feature shape; preprocessing (byte order, float scale, float[] mean, float[] std,
        // byte + float[] mean image); (0x00010002+) byte[32]: SHA-256 of the ONNX bytes; stream "OnnxBackbone": the prepared ONNX bytes.
        state.CheckColumns(ColumnPairs);
        var reader = state.Reader;
        InputIsImage = reader.ReadBoolByte();
        BatchSize = reader.ReadInt32();
        IntraOpThreads = reader.ReadInt32();
        var description = OnnxBackbone.ReadDescription(reader, LoaderSignature);
        // Version 0x00010002 saves the bad-image handling and the SHA-256 of the ONNX bytes (altered weights would still
        // load and output NaN).
        byte[]? hash = null;
        if (ctx.Header.ModelVerWritten >= 0x00010002)
        {
            BadImages = (BadImageHandling)reader.ReadByte();
            if (!Enum.IsDefined(BadImages))
                throw MlxError.DamagedModel(LoaderSignature, "bad-image handling", $"value {(int)BadImages} is not defined");
            hash = reader.ReadBytes(32);
        }
        byte[]? model = null;
        bool found;
        try
        {
            found = ctx.TryLoadBinaryStream(OnnxStreamName, r => model = r.ReadByteArray());
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or OverflowException or OutOfMemoryException)
        {
            throw MlxError.DamagedModel(LoaderSignature, $"stream '{OnnxStreamName}' (the ONNX model)", $"it cannot be read ({e.Message}): it was cut short or altered", e);
        }
        if (!found || model == null)
            throw MlxError.DamagedModel(LoaderSignature, $"stream '{OnnxStreamName}'", "the ONNX model bytes are missing");
        if (hash != null)
            MlxError.CheckSha256(LoaderSignature, $"stream '{OnnxStreamName}' (the ONNX model)", model, hash);
        if (!(BatchSize is > 0 and <= MaxSavedBatch && IntraOpThreads is >= 0 and <= 4096
              && description is { Channels: > 0, Height: > 0, Width: > 0, Shape.Length: > 0 } && description.Shape.All(d => d > 0)))
            throw MlxError.DamagedModel(LoaderSignature, "its shapes", $"batch {BatchSize}, {IntraOpThreads} threads, input {description.Channels}x{description.Height}x{description.Width}, output [{string.Join(",", description.Shape)}] cannot be right");
        try
        {
            description.Preprocessing.Validate(description.Channels, description.Height, description.Width);
        }
        catch (ArgumentException e)
        {
            throw MlxError.DamagedModel(LoaderSignature, "its preprocessing", e.Message, e);
        }
        if (!Enum.IsDefined(description.Preprocessing.ChannelOrder) || !float.IsFinite(description.Preprocessing.Scale)
            || description.Preprocessing.Mean.Any(m => !float.IsFinite(m)) || description.Preprocessing.MeanImage?.Any(m => !float.IsFinite(m)) == true)
            throw MlxError.DamagedModel(LoaderSignature, "its preprocessing", "a channel order, scale or mean that preprocessing never saves");
        // A format without the checksum: the description must at least agree with the graph it describes (a damaged size
        // would otherwise allocate and loop over billions of values, a damaged name reach ONNX Runtime).
        if (hash == null)
            CheckAgainstGraph(description, model);
        Backbone = description.Restore(model);
        Normalizer = new PixelNormalizer(Backbone);
        _session = new Lazy<InferenceSession>(CreateSession);
    }

    /// <summary>What happens to an image that cannot be read.</summary>
    public BadImageHandling BadImages { get; }

    /// <summary>The column of feature vectors this transformer writes.</summary>
    public string OutputColumnName => ColumnPairs[0].outputColumnName;

    /// <summary>The image (or pixel vector) column it reads.</summary>
    public string InputColumnName => ColumnPairs[0].inputColumnName;

    /// <summary>The backbone network.</summary>
    public OnnxBackbone Backbone { get; }

    /// <summary>Images per ONNX Runtime call.</summary>
    public int BatchSize { get; }

    /// <summary>ONNX Runtime's threads per call (0: one per core).</summary>
    public int IntraOpThreads { get; }

    internal bool InputIsImage { get; }

    internal PixelNormalizer Normalizer { get; }

    internal InferenceSession Session => _session.Value;

    /// <summary>Featurizes <paramref name="input"/> lazily, one network call per batch of rows.</summary>
    public new IDataView Transform(IDataView input)
    {
        Host.CheckValue(input, nameof(input));
        var schema = GetOutputSchema(input.Schema);
        var inputColumn = input.Schema[InputColumnName];
        var output = schema[OutputColumnName];
        // Text columns (an image's path, its label) are read too, only to name the row of an image that cannot be read.
        var inputs = new[] { inputColumn.Index }.Concat(InputIsImage ? DescriptiveColumns(input.Schema) : []);
        return new BatchedMapDataView(Host, input, new[] { new DataViewSchema.DetachedColumn(output.Name, output.Type, output.Annotations) },
            inputs, BatchSize, (row, capacity) => new OnnxFeatureBatch(this, row, capacity));
    }

    IDataView ITransformer.Transform(IDataView input) => Transform(input);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (_session.IsValueCreated)
            _session.Value.Dispose();
    }

    /// <summary>Saves the transformer, with the ONNX bytes, in ML.NET's model format.</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SavedState.Save(ctx, w =>
        {
            SavedState.WriteColumns(w, ColumnPairs);
            w.WriteBoolByte(InputIsImage);
            w.Write(BatchSize);
            w.Write(IntraOpThreads);
            Backbone.WriteDescription(w);
            w.Write((byte)BadImages);
            w.Write(System.Security.Cryptography.SHA256.HashData(Backbone.Model));
        });
        SaveColumns(ctx);
        ctx.SaveBinaryStream(OnnxStreamName, writer => writer.WriteByteArray(Backbone.Model));
    }

    /// <summary>Checks the input column when transforming a schema.</summary>
    public override void CheckInputColumn(DataViewSchema inputSchema, int col, int srcCol) =>
        FeaturizeImageEstimator.CheckInput(inputSchema[srcCol], Backbone);

    /// <summary>The row-by-row mapper (batches of one), used by PredictionEngine.</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    internal void CheckImage(MLImage? image, long position)
    {
        if (image == null)
            throw new InvalidOperationException($"{Capitalized(MlxError.Where(InputColumnName, cursorPosition: position))}: the image is missing (null). Check that every image path exists and is a readable image file.");
        if (image.Width != Backbone.Width || image.Height != Backbone.Height)
        {
            throw new InvalidOperationException($"{Capitalized(MlxError.Where(InputColumnName, cursorPosition: position))}: the image is {image.Width}×{image.Height}, " +
                $"but backbone {Backbone.Name} takes {Backbone.Width}×{Backbone.Height}. Add mlContext.Transforms.ResizeImages(\"{InputColumnName}\", {Backbone.Width}, {Backbone.Height}) before the featurizer.");
        }
        if (image.PixelFormat != MLPixelFormat.Bgra32 && image.PixelFormat != MLPixelFormat.Rgba32)
            throw new InvalidOperationException($"{Capitalized(MlxError.Where(InputColumnName, cursorPosition: position))}: unsupported pixel format {image.PixelFormat}; images must be 32-bit BGRA or RGBA.");
    }

    /// <summary>The visible text columns (at most 4): what names a row to a user (its image path, its label).</summary>
    internal static IEnumerable<int> DescriptiveColumns(DataViewSchema schema) =>
        schema.Where(c => !c.IsHidden && c.Type is TextDataViewType).Take(4).Select(c => c.Index);

    /// <summary>An image that cannot be read: the error (or, with MissingFeatures, the warning) naming the row and its text columns.</summary>
    internal string BadImageMessage(long position, string problem, string rowText) =>
        $"{Capitalized(MlxError.Where(InputColumnName, cursorPosition: position))}: {problem}" +
        (rowText.Length > 0 ? $"; the row's {rowText}" : "") + ". The file is probably corrupt, empty, missing or not an image. " +
        (BadImages == BadImageHandling.Fail
            ? "Remove such rows before featurizing, or pass badImages: BadImageHandling.MissingFeatures to get NaN features for them and drop them with mlContext.Data.FilterRowsByMissingValues."
            : "Its features are NaN: drop such rows with mlContext.Data.FilterRowsByMissingValues.");

    private static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private InferenceSession CreateSession()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(Backbone.Model, options);
    }

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010003;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXIMGFT",
        verWrittenCur: 0x00010003, // 2: SHA-256 of the ONNX bytes; 3: sealed state
        verReadableCur: 0x00010003,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(FeaturizeImageTransformer).Assembly.FullName);

    /// <summary>The largest batch a saved featurizer may declare (larger ones are damage, not a setting).</summary>
    private const int MaxSavedBatch = 1 << 16;

    private static void CheckAgainstGraph(OnnxBackbone.SavedDescription description, byte[] model)
    {
        var info = Onnx.OnnxModelInfo.FromBytes(model, "the saved ONNX model");
        var input = info.Inputs.FirstOrDefault(i => i.Name == description.Input)
            ?? throw MlxError.DamagedModel(LoaderSignature, "input name", $"'{description.Input}' is not an input of the saved graph ({string.Join(", ", info.Inputs)})");
        var output = info.Outputs.FirstOrDefault(o => o.Name == description.Output)
            ?? throw MlxError.DamagedModel(LoaderSignature, "output name", $"'{description.Output}' is not an output of the saved graph ({string.Join(", ", info.Outputs)})");
        long[] image = [description.Channels, description.Height, description.Width];
        bool Agrees(IReadOnlyList<int> declared, long[] saved) =>
            declared.Count == saved.Length + 1 && saved.Select((d, k) => declared[k + 1] < 0 || declared[k + 1] == d).All(same => same);
        if (!Agrees(input.Dimensions, image) || !Agrees(output.Dimensions, description.Shape))
            throw MlxError.DamagedModel(LoaderSignature, "its shapes", $"input {string.Join("x", image)} and output [{string.Join(",", description.Shape)}] disagree with the graph's {input} and {output}");
    }

    private static FeaturizeImageTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(FeaturizeImageTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new FeaturizeImageTransformer(host, ctx, state));
    }

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);

    /// <summary>Row by row: stages the row into a batch of one and runs it.</summary>
    private sealed class Mapper : OneToOneMapperBase
    {
        private readonly FeaturizeImageTransformer _parent;
        private readonly SingleRowBatches _rows;

        public Mapper(FeaturizeImageTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), parent, inputSchema)
        {
            _parent = parent;
            _rows = new SingleRowBatches((row, capacity) => new OnnxFeatureBatch(parent, row, capacity));
        }

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() => new[]
        {
            new DataViewSchema.DetachedColumn(_parent.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, _parent.Backbone.FeatureSize)),
        };

        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action disposer) =>
            _rows.MakeGetter(input, iinfo, out disposer);
    }
}
