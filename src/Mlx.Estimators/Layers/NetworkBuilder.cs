using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Builds the TorchSharp module of a layer stack plus the task's output layer, and keeps the weight
/// matrices that carry a regularizer so the training loop can add their penalties.
/// </summary>
internal sealed class NetworkBuilder
{
    /// <summary>
    /// The built network: the module, the (weight, regularizer) pairs to penalise, and, when the first layer is Dense,
    /// that layer and the rest of the stack (for sparse input, see <see cref="Forward(SparseBatch, SparseDenseWorkspace)"/>);
    /// <c>Modules</c> lists the Sequential's modules in build order (input view, each layer's, output layer) for export.
    /// </summary>
    public sealed record Network(nn.Module<Tensor, Tensor> Module, IReadOnlyList<(Parameter Weight, Regularizer Penalty)> Penalties, Linear? FirstDense, nn.Module<Tensor, Tensor>? Rest,
        Generator DropoutGenerator, IReadOnlyList<LayerSummary> Summary, IReadOnlyList<nn.Module<Tensor, Tensor>> Modules,
        IReadOnlyList<IReadOnlyList<nn.Module<Tensor, Tensor>>> LayerModules)
    {
        /// <summary>Starts a fine-tuning phase: each hidden layer unfreezes what it holds frozen (see <see cref="Layer.StartFineTuning"/>).</summary>
        public void StartFineTuning(IReadOnlyList<Layer> layers)
        {
            for (int i = 0; i < layers.Count; i++)
                layers[i].StartFineTuning(LayerModules[i]);
        }

        /// <summary>Whether sparse rows can be fed (the first layer is Dense).</summary>
        public bool AcceptsSparseInput => FirstDense != null;

        /// <summary>The network's output for sparse rows: the first Dense layer on the non-zeros only, then the rest.</summary>
        public Tensor Forward(SparseBatch batch, SparseDenseWorkspace workspace)
        {
            var first = SparseDenseFunction.Apply(FirstDense!, batch, workspace);
            return Rest is null ? first : Rest.forward(first);
        }
    }

    /// <summary>
    /// Builds input → hidden layers → a linear output layer of <paramref name="outputs"/> units (the loss applies
    /// sigmoid/softmax), inferring each layer's shape on the way (errors name the layer, the shape and the fix). With
    /// <paramref name="inputShape"/> the flat feature vector is first viewed as that shape (e.g. [1, 28, 28]). Weights
    /// are drawn from <paramref name="seed"/> alone (not libtorch's process-wide generator, which concurrent trainings
    /// share), and dropout draws from its own generator, so a seed fixes the whole run.
    /// </summary>
    public static Network Build(int inputSize, IReadOnlyList<Layer> hidden, int outputs, Regularizer? outputRegularizer = null, int seed = 0, int[]? inputShape = null,
        bool variableLength = false)
    {
        if (variableLength && (hidden.Count == 0 || hidden[0] is not EmbeddingLayer))
        {
            throw new ArgumentException("The feature column holds token ids of varying length: the first layer must be Layer.Embedding " +
                "(or give the ids one length, e.g. VectorizeText's SequenceLength).");
        }
        var dropoutGenerator = new Generator((ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL);
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var penalties = new List<(Parameter, Regularizer)>();
        var build = new LayerBuild(new Random(seed), dropoutGenerator, modules, penalties) { Shape = [inputSize], VariableLength = variableLength };
        var summary = new List<LayerSummary>();
        var layerModules = new List<IReadOnlyList<nn.Module<Tensor, Tensor>>>();
        if (inputShape != null)
        {
            CheckInputShape(inputSize, inputShape);
            modules.Add(inputShape.Length == 3
                ? ("channels_last", new ChannelsLastInput(inputShape[0], inputShape[1], inputShape[2]))
                : ("reshape", nn.Unflatten(1, inputShape.Select(d => (long)d).ToArray())));
            build.Shape = (int[])inputShape.Clone();
        }
        for (int index = 0; index < hidden.Count; index++)
        {
            build.Index = index;
            int before = modules.Count;
            hidden[index].Build(build);
            if (!hidden[index].CarriesMask)
                build.Mask = null;
            var added = modules.Skip(before).ToList();
            layerModules.Add(added.Select(m => m.Item2).ToArray());
            summary.Add(new LayerSummary(hidden[index].Name, build.Shape, ParameterCount(added) + BufferCount(added), ParameterCount(added, trainableOnly: true)));
        }
        build.Index = hidden.Count;
        if (build.Shape.Length != 1)
        {
            throw new ArgumentException($"The output layer receives examples of shape {LayerBuild.Show(build.Shape)}: it takes flat vectors. " +
                "End the layer stack with Layer.Flatten() or a global pooling layer.");
        }
        int before2 = modules.Count;
        var output = DenseLayer.Create(build, build.Shape[0], outputs, useBias: true, out _);
        modules.Add(("output", output));
        if (outputRegularizer is { } o && (o.L1 > 0 || o.L2 > 0))
            penalties.Add((output.weight!, o));
        long outputParameters = ParameterCount(modules.Skip(before2));
        summary.Add(new LayerSummary("Dense (output)", [outputs], outputParameters, outputParameters));
        // The same module objects, minus the first Dense layer, for the sparse forward pass.
        var firstDense = modules[0].Item2 as Linear;
        var rest = firstDense != null && modules.Count > 1 ? nn.Sequential(modules.Skip(1)) : null;
        return new Network(nn.Sequential(modules), penalties, firstDense, rest, dropoutGenerator, summary, modules.Select(m => m.Item2).ToArray(), layerModules);
    }

    /// <summary>An InputShape must have positive dimensions whose product is the feature vector's size.</summary>
    public static void CheckInputShape(int inputSize, IReadOnlyList<int> inputShape)
    {
        if (inputShape.Count == 0 || inputShape.Any(d => d < 1))
        {
            // Checked first: (1, −4, −4) multiplies to 16 and would read as a size mismatch with a 16-slot vector.
            throw new ArgumentException($"NeuralNetworkOptions.InputShape {LayerBuild.Show(inputShape.ToArray())} has {(inputShape.Count == 0 ? "no dimensions" : "a dimension below 1")}: every dimension must be a positive size. " +
                "Give the (channels, height, width) of the images the vector holds, e.g. new[] { 1, 28, 28 } for 784 pixels.");
        }
        long product = inputShape.Aggregate(1L, (a, b) => a * b);
        if (product != inputSize)
        {
            throw new ArgumentException($"NeuralNetworkOptions.InputShape {LayerBuild.Show(inputShape.ToArray())} holds {product} values, but the feature vector has {inputSize}. " +
                "Give the (channels, height, width) of the images the vector holds, e.g. new[] { 1, 28, 28 } for 784 pixels.");
        }
    }

    private static long ParameterCount(IEnumerable<(string, nn.Module<Tensor, Tensor>)> modules, bool trainableOnly = false) =>
        modules.Sum(m => m.Item2.parameters().Where(p => !trainableOnly || p.requires_grad).Sum(p => p.numel()));

    // Floating-point buffers: batch normalization's moving mean and variance (not its integer batch counter).
    private static long BufferCount(IEnumerable<(string, nn.Module<Tensor, Tensor>)> modules) =>
        modules.Sum(m => m.Item2.buffers().Where(b => b.is_floating_point()).Sum(b => b.numel()));
}
