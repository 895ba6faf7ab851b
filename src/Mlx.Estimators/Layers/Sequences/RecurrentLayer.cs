using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;

namespace Mlx.Estimators;

/// <summary>
/// What SimpleRNN, LSTM and GRU share (Keras semantics): (features, timesteps) sequences in — channels first, the layout of
/// <see cref="EmbeddingLayer"/> and <see cref="Conv1DLayer"/> — and the last step's output (units) or, with
/// <see cref="ReturnSequences"/>, every step's (units, timesteps) out, for stacking. Weights use PyTorch's layout and gate
/// order (LSTM i, f, g, o; GRU r, z, n) with Keras' initializers: Glorot-uniform input kernel, orthogonal recurrent kernel,
/// zero biases (and LSTM's forget-gate bias 1). Each cell is one file: its fused libtorch module and its single step.
/// </summary>
public abstract record RecurrentLayer(int Units, bool ReturnSequences, double InputDropout, double RecurrentDropout) : Layer
{
    /// <summary>The layer's saved kind.</summary>
    internal abstract byte Kind { get; }

    /// <summary>Gate blocks in the weight matrices: 1 (SimpleRNN), 4 (LSTM), 3 (GRU).</summary>
    internal abstract int Gates { get; }

    /// <summary>The cell's libtorch module (one layer, one direction, batch first).</summary>
    internal abstract nn.Module CreateFused(int inputSize);

    /// <summary>Runs the fused module: every step's output (batch, timesteps, units) and the last state (batch, units).</summary>
    internal abstract (Tensor Sequence, Tensor Last) RunFused(nn.Module fused, Tensor input);

    /// <summary>Runs the fused module on packed sequences (the padded steps skipped).</summary>
    internal abstract (PackedSequence Sequence, Tensor Last) RunFused(nn.Module fused, PackedSequence input);

    /// <summary>
    /// One step of the cell: <paramref name="inputProjection"/> is xₜ·W_ihᵀ + b_ih for the step, <paramref name="previous"/>
    /// the previous output, <paramref name="dropped"/> the same multiplied by the recurrent dropout mask (what the
    /// recurrent product reads, as in Keras), <paramref name="cell"/> LSTM's carry. Returns the new output and carry.
    /// </summary>
    internal abstract (Tensor Output, Tensor? Cell) Step(Tensor inputProjection, Tensor previous, Tensor dropped, Tensor? cell, Tensor recurrentWeight, Tensor recurrentBias);

    /// <summary>Whether <see cref="RunKernel"/> runs this cell (always for the GRU; for the LSTM only with recurrent dropout).</summary>
    internal virtual bool UsesKernel(bool recurrentDropout) => false;

    /// <summary>
    /// Runs the whole recurrence with Mlx's own kernel (<see cref="GruKernel"/>, <see cref="LstmKernel"/>) when
    /// <see cref="UsesKernel"/> says so: the input terms x·W_ihᵀ + b_ih, each row's length, an optional recurrent dropout mask.
    /// </summary>
    internal virtual Tensor RunKernel(Tensor inputTerms, Tensor recurrentWeight, Tensor recurrentBias, int[] lengths, Tensor? recurrentMask) =>
        throw new NotSupportedException($"{Name} has no Mlx kernel.");

    /// <summary>Keras' bias initializer: zeros (LSTM overrides: forget gate 1).</summary>
    internal virtual void InitializeBias(Tensor inputBias)
    {
    }

    internal override bool CarriesMask => ReturnSequences;

    internal override void Build(LayerBuild build)
    {
        var (features, timesteps) = SequenceShape(build, this);
        var module = CreateModule(build, features);
        build.Add(Name.ToLowerInvariant(), module);
        build.Shape = ReturnSequences ? [Units, timesteps] : [Units];
    }

    /// <summary>The (features, timesteps) of the incoming sequences, or an error saying how to get sequences.</summary>
    internal static (int Features, int Timesteps) SequenceShape(LayerBuild build, Layer layer)
    {
        if (build.Shape.Length != 2)
        {
            throw build.ShapeError(layer, $"recurrent layers take (features, timesteps) sequences, not a {build.Shape.Length}-D tensor",
                build.Shape.Length == 1
                    ? "Start with Layer.Embedding for token ids, or set NeuralNetworkOptions.InputShape = new[] { features, timesteps } for a series (feature-major, as CreateTimeSeriesWindows writes)."
                    : "Flatten the spatial axes into one before it, or use Conv1D layers.");
        }
        return (build.Shape[0], build.Shape[1]);
    }

    /// <summary>Builds one direction: the fused module with Keras' initial weights drawn from the run's random source.</summary>
    internal RecurrentModule CreateModule(LayerBuild build, int features)
    {
        var fused = CreateFused(features);
        var weights = RecurrentModule.Weights(fused);
        build.GlorotUniform(weights.InputWeight, features, Gates * Units);
        build.Orthogonal(weights.RecurrentWeight);
        LayerBuild.ZeroBias(weights.InputBias);
        LayerBuild.ZeroBias(weights.RecurrentBias);
        using (no_grad())
            InitializeBias(weights.InputBias);
        return new RecurrentModule(this, fused, build.DropoutGenerator, build.Mask);
    }

    internal override void Export(OnnxExport export) => RecurrentExport.Export(export, this, [export.Take<RecurrentModule>()], BidirectionalMerge.Concat);

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        WriteFields(w);
    }

    internal void WriteFields(BinaryWriter w)
    {
        w.Write(Units);
        w.Write(ReturnSequences);
        w.Write(InputDropout);
        w.Write(RecurrentDropout);
    }

    /// <summary>Reads the fields <see cref="WriteFields"/> wrote into the layer of saved kind <paramref name="kind"/>.</summary>
    internal static RecurrentLayer Read(byte kind, BinaryReader r)
    {
        int units = r.ReadInt32();
        bool sequences = r.ReadBoolean();
        double dropout = r.ReadDouble(), recurrentDropout = r.ReadDouble();
        return kind switch
        {
            SimpleRnnLayer.SavedKind => new SimpleRnnLayer(units, sequences, dropout, recurrentDropout),
            LstmLayer.SavedKind => new LstmLayer(units, sequences, dropout, recurrentDropout),
            GruLayer.SavedKind => new GruLayer(units, sequences, dropout, recurrentDropout),
            _ => throw new InvalidDataException($"Unknown recurrent layer kind {kind} in a saved neural network."),
        };
    }
}
