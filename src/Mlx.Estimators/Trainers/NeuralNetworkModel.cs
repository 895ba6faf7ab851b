using System.Text;
using Microsoft.ML;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Mlx.Estimators;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(NeuralNetworkModel), null, typeof(SignatureLoadModel),
    NeuralNetworkModel.UserName, NeuralNetworkModel.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(NeuralNetworkModel), null, typeof(SignatureLoadRowMapper),
    NeuralNetworkModel.UserName, NeuralNetworkModel.LoaderSignature)]

namespace Mlx.Estimators;

/// <summary>
/// A trained neural network in an ML.NET pipeline. It writes the columns ML.NET's evaluators expect for its
/// task: binary: <c>Score</c> (logit), <c>Probability</c>, <c>PredictedLabel</c> (Boolean); multiclass:
/// <c>Score</c> (class probabilities, slot names = classes) and <c>PredictedLabel</c> (key, with the label's
/// key values, so <c>MapKeyToValue</c> works); regression: <c>Score</c>. Saved with its layer description,
/// its weights in TorchSharp's own format and its training history.
/// </summary>
public sealed class NeuralNetworkModel : RowToRowTransformerBase, ITransformer, ISingleFeaturePredictionTransformer<NeuralNetworkModel>, IDisposable
{
    internal const string LoaderSignature = "MlxNeuralNetwork";
    internal const string UserName = "Mlx Neural Network";
    private const string WeightsStream = "TorchSharpWeights";

    private readonly NetworkBuilder.Network _network;
    private readonly int[]? _inputShape;
    private readonly object _forwardLock = new();
    private SparseDenseWorkspace? _sparseWorkspace;

    internal NeuralNetworkModel(IHostEnvironment env, NeuralNetworkTask task, string featureColumnName, int featureSize,
        IReadOnlyList<Layer> layers, int outputs, string[]? classNames, NetworkBuilder.Network network, TrainingHistory history, int[]? inputShape,
        bool variableLength = false)
        : base(env.Register(nameof(NeuralNetworkModel)))
    {
        VariableLength = variableLength;
        _inputShape = inputShape;
        Task = task;
        FeatureColumnName = featureColumnName;
        FeatureSize = featureSize;
        Layers = layers;
        Outputs = outputs;
        ClassNames = classNames;
        _network = network;
        History = history;
    }

    /// <summary>
    /// Whether the features are token ids of varying length: rows are padded with 0 (masked) to <see cref="FeatureSize"/>,
    /// the longest training row, and a longer row is scored on its own at its length.
    /// </summary>
    public bool VariableLength { get; }

    /// <summary>The task: which output columns the model writes.</summary>
    public NeuralNetworkTask Task { get; }

    /// <summary>The features column read.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature vector size.</summary>
    public int FeatureSize { get; }

    /// <summary>The features column's type (a known-size vector of Single), for ML.NET's permutation feature importance.</summary>
    public DataViewType FeatureColumnType => FeatureSize == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, FeatureSize);

    /// <summary>The model itself (ML.NET's prediction-transformer contract, used by <c>PermutationFeatureImportance</c>).</summary>
    public NeuralNetworkModel Model => this;

    /// <summary>The (channels, height, width) the feature vector is read as, or null for a flat vector.</summary>
    public IReadOnlyList<int>? InputShape => _inputShape;

    /// <summary>
    /// Keras' <c>model.summary()</c>: each layer with its output shape (per example, channels first) and parameter count,
    /// then the totals. The trainer also logs it at Fit.
    /// </summary>
    public string Summary() => LayerSummary.Format(_network.Summary);

    /// <summary>The rows of <see cref="Summary"/>.</summary>
    public IReadOnlyList<LayerSummary> LayerSummaries => _network.Summary;

    /// <summary>The hidden layers (the output layer follows from the task).</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Output units: 1, or the number of classes.</summary>
    public int Outputs { get; }

    /// <summary>The class names (multiclass), in key order.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Per-epoch losses and metrics of the training run.</summary>
    public TrainingHistory History { get; }

    /// <summary>
    /// The trained TorchSharp network (input: the flat feature batch; output: logits or values, before the task's
    /// sigmoid/softmax), for inspection and visualisation. Scoring goes through <c>Transform</c>; do not train it.
    /// </summary>
    public TorchSharp.torch.nn.Module<Tensor, Tensor> TorchModule => _network.Module;

    /// <summary>
    /// The trained vectors of the Embedding layer at <paramref name="layerIndex"/> (a copy), e.g. to write them as a GloVe
    /// file (<see cref="Mlx.Estimators.EmbeddingWeights.WriteGloveFile"/>) and start another network from them.
    /// </summary>
    public EmbeddingWeights EmbeddingWeights(int layerIndex = 0)
    {
        if (layerIndex < 0 || layerIndex >= Layers.Count || Layers[layerIndex] is not EmbeddingLayer layer)
            throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, $"Layer {layerIndex} is not an Embedding layer (the layers: {string.Join(", ", Layers.Select(l => l.Name))}).");
        var module = (EmbeddingModule)_network.LayerModules[layerIndex][0];
        lock (_forwardLock)
        {
            using var weight = module.Weight.detach().contiguous();
            return new EmbeddingWeights(TensorMemory.Floats(weight).ToArray(), layer.InputDimension, layer.OutputDimension);
        }
    }

    /// <summary>The built network (modules per layer), for Mlx.Vision's visualisations.</summary>
    internal NetworkBuilder.Network Network => _network;

    /// <summary>The number of trainable weights.</summary>
    public long ParameterCount => _network.Module.parameters().Sum(p => p.numel());

    /// <summary>The first dense layer's weight matrix, row-major (units × inputs), for inspection.</summary>
    public float[] FirstLayerWeights()
    {
        var first = _network.Module.parameters().First();
        return first.data<float>().ToArray();
    }

    /// <summary>
    /// Writes the network as an ONNX model (opset 13) that ONNX Runtime, ML.NET's <c>ApplyOnnxModel</c> and other
    /// runtimes score like this model: input <c>Features</c> [N, <see cref="FeatureSize"/>] (an image column's R, G, B
    /// planes scaled to [0, 1]); outputs <c>Score</c> (binary: the logit; multiclass: class probabilities; regression:
    /// the values) and, for binary models, <c>Probability</c>. Dropout layers are left out (they only act in training).
    /// </summary>
    /// <param name="path">The .onnx file to write.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX export yet (named in the message).</exception>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Onnx.ModelProto proto;
        lock (_forwardLock)
            proto = OnnxNetworkExporter.Export(this, _network);
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
    }

    /// <summary>Releases the network's native memory.</summary>
    public void Dispose()
    {
        _sparseWorkspace?.Dispose();
        _network.Module.Dispose();
    }

    /// <summary>Whether sparse rows can be scored without densifying them (the first layer is Dense).</summary>
    internal bool AcceptsSparseInput => _network.AcceptsSparseInput;

    /// <summary>Runs the network on rows of features (row-major, <see cref="FeatureSize"/> each) and writes the raw outputs (logits / values).</summary>
    internal void Forward(ReadOnlySpan<float> features, int rows, float[] outputs) => Forward(features, rows, FeatureSize, outputs);

    /// <summary>As above with rows of <paramref name="length"/> values (a variable-length row longer than <see cref="FeatureSize"/>).</summary>
    internal void Forward(ReadOnlySpan<float> features, int rows, int length, Span<float> outputs)
    {
        lock (_forwardLock)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var x = empty(new long[] { rows, length });
            // Spans over the tensors' storage: TensorAccessor copies element by element.
            features.CopyTo(TensorMemory.Floats(x));
            CopyOutputs(_network.Module.forward(x), rows, outputs);
        }
    }

    /// <summary>
    /// Runs the network on sparse rows (the first Dense layer multiplies only their non-zeros, with Wᵀ made once for
    /// scoring) and writes the raw outputs.
    /// </summary>
    internal void Forward(SparseRows rows, int count, float[] outputs)
    {
        lock (_forwardLock)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            _sparseWorkspace ??= new SparseDenseWorkspace(_network.FirstDense!, fixedWeights: true);
            CopyOutputs(_network.Forward(SparseBatch.Range(rows, 0, count), _sparseWorkspace), count, outputs);
        }
    }

    private void CopyOutputs(Tensor y, int rows, Span<float> outputs)
    {
        using var contiguous = y.contiguous();
        TensorMemory.Floats(contiguous).CopyTo(outputs[..(rows * Outputs)]);
    }

    /// <summary>Scores <paramref name="input"/> lazily, one forward pass per batch of 1,024 rows.</summary>
    public new IDataView Transform(IDataView input)
    {
        Host.CheckValue(input, nameof(input));
        var schema = GetOutputSchema(input.Schema);
        int added = Task.OutputColumnCount();
        var outputs = Enumerable.Range(schema.Count - added, added)
            .Select(i => new DataViewSchema.DetachedColumn(schema[i].Name, schema[i].Type, schema[i].Annotations)).ToArray();
        return new Mlx.Core.Batching.BatchedMapDataView(Host, input, outputs, new[] { input.Schema[FeatureColumnName].Index }, 1024,
            (row, capacity) => new NetworkBatch(this, row, capacity));
    }

    IDataView ITransformer.Transform(IDataView input) => Transform(input);

    /// <summary>Saves the model in ML.NET's format (weights in TorchSharp's format inside the zip).</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        using var weights = new MemoryStream();
        using (var weightsWriter = new BinaryWriter(weights, System.Text.Encoding.UTF8, leaveOpen: true))
            _network.Module.save(weightsWriter);
        var bytes = weights.ToArray();
        SavedState.Save(ctx, w =>
        {
            w.Write((byte)Task);
            w.Write(FeatureColumnName);
            w.Write(FeatureSize);
            w.Write(Outputs);
            LayerFormat.Write(w, Layers);
            w.Write(ClassNames != null);
            if (ClassNames != null)
            {
                foreach (var name in ClassNames)
                    w.Write(name);
            }
            w.Write(History.ToCsv());
            w.Write(History.StopReason);
            w.Write(System.Security.Cryptography.SHA256.HashData(bytes));
            w.Write(_inputShape != null);
            if (_inputShape != null)
                w.WriteIntArray(_inputShape);
            w.Write(VariableLength);
        });
        ctx.SaveBinaryStream(WeightsStream, writer => writer.Write(bytes));
    }

    private NeuralNetworkModel(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host)
    {
        // From 0x00010005 everything but the weights' own stream is in the sealed state (which holds their SHA-256).
        var r = state.Reader;
        Task = (NeuralNetworkTask)r.ReadByte();
        FeatureColumnName = r.ReadString();
        FeatureSize = r.ReadInt32();
        Outputs = r.ReadInt32();
        Layers = LayerFormat.Read(r);
        ClassNames = r.ReadBoolean() ? Enumerable.Range(0, state.CheckCount(Outputs, "class names", 1)).Select(_ => r.ReadString()).ToArray() : null;
        History = TrainingHistory.FromCsv(r.ReadString());
        History.StopReason = r.ReadString();
        if (!(FeatureSize > 0 && Outputs > 0 && Enum.IsDefined(Task)))
            throw MlxError.DamagedModel(LoaderSignature, "its shape", $"task {(int)Task}, {FeatureSize} features, {Outputs} outputs cannot be right");
        // Version 0x00010002 saves the SHA-256 of the weights: altered weights would still load and score NaN.
        byte[]? hash = ctx.Header.ModelVerWritten >= 0x00010002 ? r.ReadBytes(32) : null;
        // Version 0x00010003 added the input shape (convolutional networks).
        _inputShape = ctx.Header.ModelVerWritten >= 0x00010003 && r.ReadBoolean() ? state.ReadInts(state.ReadCount("input shape", sizeof(int)), "input shape") : null;
        // Version 0x00010004 added variable-length token ids.
        VariableLength = ctx.Header.ModelVerWritten >= 0x00010004 && r.ReadBoolean();
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        try
        {
            _network = NetworkBuilder.Build(FeatureSize, Layers, Outputs, inputShape: _inputShape, variableLength: VariableLength);
        }
        catch (ArgumentException e)
        {
            throw MlxError.DamagedModel(LoaderSignature, "its layers", $"they do not fit together ({e.Message})", e);
        }
        byte[]? weights = null;
        bool found = ctx.TryLoadBinaryStream(WeightsStream, reader =>
        {
            using var copy = new MemoryStream();
            reader.BaseStream.CopyTo(copy);
            weights = copy.ToArray();
        });
        if (!found || weights == null)
            throw MlxError.DamagedModel(LoaderSignature, $"stream '{WeightsStream}'", "the network weights are missing");
        if (hash != null)
            MlxError.CheckSha256(LoaderSignature, $"stream '{WeightsStream}' (the weights)", weights, hash);
        using (var weightsReader = new BinaryReader(new MemoryStream(weights)))
            _network.Module.load(weightsReader);
        foreach (var (name, parameter) in _network.Module.named_parameters())
        {
            using var finite = TorchSharp.torch.isfinite(parameter).all();
            if (!finite.item<bool>())
                throw MlxError.DamagedModel(LoaderSignature, $"weights '{name}'", "they hold NaN or infinite values, which training never saves");
        }
        _network.Module.eval();
    }

    /// <summary>The row mapper (one forward pass per row).</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010005;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXNNETW",
        verWrittenCur: 0x00010005, // 2: SHA-256 of the weights; 3: input shape; 4: variable-length token ids; 5: sealed state
        verReadableCur: 0x00010005,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(NeuralNetworkModel).Assembly.FullName);

    private static NeuralNetworkModel Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(NeuralNetworkModel));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new NeuralNetworkModel(host, ctx, state));
    }

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);

    /// <summary>Maps a row's features to the task's output columns (the forward pass runs once per row, whatever columns are read).</summary>
    private sealed class Mapper : MapperBase
    {
        private readonly NeuralNetworkModel _parent;
        private readonly int _featureIndex;
        private readonly Mlx.Core.Batching.SingleRowBatches _rows;

        public Mapper(NeuralNetworkModel parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            _rows = new Mlx.Core.Batching.SingleRowBatches((row, capacity) => new NetworkBatch(parent, row, capacity));
            var column = inputSchema.GetColumnOrNull(parent.FeatureColumnName) ?? throw MlxError.MissingColumn(parent.FeatureColumnName, inputSchema.Select(c => c.Name), "NeuralNetworkOptions.FeatureColumnName the model was trained with (score data with the same columns)");
            int size = TrainingData.FeatureSize(inputSchema, parent.FeatureColumnName);
            if (parent.VariableLength ? !FeatureColumn.IsVariableLength(inputSchema, parent.FeatureColumnName) : size != parent.FeatureSize)
                throw MlxError.WrongColumnType(parent.FeatureColumnName, $"a vector of {parent.FeatureSize} Single (as in training)", $"{column.Type}", "Transform the data with the same pipeline as the training data.");
            _featureIndex = column.Index;
        }

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            switch (_parent.Task)
            {
                case NeuralNetworkTask.BinaryClassification:
                    return new[]
                    {
                        new DataViewSchema.DetachedColumn("Score", NumberDataViewType.Single, ScoreAnnotations("BinaryClassification")),
                        new DataViewSchema.DetachedColumn("Probability", NumberDataViewType.Single, ScoreAnnotations("BinaryClassification", "Probability")),
                        new DataViewSchema.DetachedColumn("PredictedLabel", BooleanDataViewType.Instance, ScoreAnnotations("BinaryClassification", "PredictedLabel")),
                    };
                case NeuralNetworkTask.MulticlassClassification:
                    var classes = _parent.ClassNames!.Select(c => c.AsMemory()).ToArray();
                    var scoreAnnotations = new DataViewSchema.Annotations.Builder();
                    scoreAnnotations.Add(ScoreAnnotations("MulticlassClassification"), _ => true);
                    scoreAnnotations.AddSlotNames(classes.Length, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(classes.Length, classes));
                    var keyAnnotations = new DataViewSchema.Annotations.Builder();
                    keyAnnotations.AddKeyValues(classes.Length, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(classes.Length, classes));
                    keyAnnotations.Add(ScoreAnnotations("MulticlassClassification", "PredictedLabel"), _ => true);
                    return new[]
                    {
                        new DataViewSchema.DetachedColumn("Score", new VectorDataViewType(NumberDataViewType.Single, classes.Length), scoreAnnotations.ToAnnotations()),
                        new DataViewSchema.DetachedColumn("PredictedLabel", new KeyDataViewType(typeof(uint), classes.Length), keyAnnotations.ToAnnotations()),
                    };
                case NeuralNetworkTask.MultilabelClassification:
                    return new[]
                    {
                        new DataViewSchema.DetachedColumn("Score", Vector(NumberDataViewType.Single), WithSlotNames(ScoreAnnotations("MultilabelClassification"))),
                        new DataViewSchema.DetachedColumn("Probability", Vector(NumberDataViewType.Single), WithSlotNames(ScoreAnnotations("MultilabelClassification", "Probability"))),
                        new DataViewSchema.DetachedColumn("PredictedLabel", Vector(BooleanDataViewType.Instance), WithSlotNames(ScoreAnnotations("MultilabelClassification", "PredictedLabel"))),
                    };
                case NeuralNetworkTask.VectorRegression:
                    return new[] { new DataViewSchema.DetachedColumn("Score", Vector(NumberDataViewType.Single), WithSlotNames(ScoreAnnotations("VectorRegression"))) };
                default:
                    return new[] { new DataViewSchema.DetachedColumn("Score", NumberDataViewType.Single, ScoreAnnotations("Regression")) };
            }
        }

        private VectorDataViewType Vector(PrimitiveDataViewType item) => new(item, _parent.Outputs);

        private DataViewSchema.Annotations WithSlotNames(DataViewSchema.Annotations annotations)
        {
            var names = _parent.ClassNames!.Select(c => c.AsMemory()).ToArray();
            var builder = new DataViewSchema.Annotations.Builder();
            builder.Add(annotations, _ => true);
            builder.AddSlotNames(names.Length, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
            return builder.ToAnnotations();
        }

        private static DataViewSchema.Annotations ScoreAnnotations(string kind, string valueKind = "Score")
        {
            var builder = new DataViewSchema.Annotations.Builder();
            builder.Add<ReadOnlyMemory<char>>("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = kind.AsMemory());
            builder.Add<ReadOnlyMemory<char>>("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
            return builder.ToAnnotations();
        }

        public override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            col => col == _featureIndex && Enumerable.Range(0, _parent.Task.OutputColumnCount()).Any(activeOutput);

        public override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);

        // One forward pass per row, shared by the row's output columns.
        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action disposer) =>
            _rows.MakeGetter(input, iinfo, out disposer);
    }
}
