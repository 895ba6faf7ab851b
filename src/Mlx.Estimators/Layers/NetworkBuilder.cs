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
    /// that layer and the rest of the stack (for sparse input, see <see cref="Forward(SparseBatch, SparseDenseWorkspace)"/>).
    /// </summary>
    public sealed record Network(nn.Module<Tensor, Tensor> Module, IReadOnlyList<(Parameter Weight, Regularizer Penalty)> Penalties, Linear? FirstDense, nn.Module<Tensor, Tensor>? Rest,
        Generator DropoutGenerator)
    {
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
    /// sigmoid/softmax). Weights are drawn from <paramref name="seed"/> alone (not libtorch's process-wide generator,
    /// which concurrent trainings share), and dropout draws from its own generator, so a seed fixes the whole run.
    /// </summary>
    public static Network Build(int inputSize, IReadOnlyList<Layer> hidden, int outputs, Regularizer? outputRegularizer = null, int seed = 0)
    {
        var random = new Random(seed);
        var dropoutGenerator = new Generator((ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL);
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var penalties = new List<(Parameter, Regularizer)>();
        int size = inputSize;
        int index = 0;
        foreach (var layer in hidden)
        {
            switch (layer)
            {
                case DenseLayer dense:
                    var linear = Linear(size, dense.Units, dense.UseBias, random);
                    modules.Add(($"dense{index}", linear));
                    if (dense.Regularizer is { } r && (r.L1 > 0 || r.L2 > 0))
                        penalties.Add((linear.weight!, r));
                    if (ActivationModule(dense.Activation) is { } activation)
                        modules.Add(($"{dense.Activation.ToString().ToLowerInvariant()}{index}", activation));
                    size = dense.Units;
                    break;
                case DropoutLayer dropout:
                    modules.Add(($"dropout{index}", new SeededDropout(dropout.Rate, dropoutGenerator)));
                    break;
                default:
                    throw new NotSupportedException($"Layer {layer} is not supported by dense networks.");
            }
            index++;
        }
        var output = Linear(size, outputs, useBias: true, random);
        modules.Add(("output", output));
        if (outputRegularizer is { } o && (o.L1 > 0 || o.L2 > 0))
            penalties.Add((output.weight!, o));
        // The same module objects, minus the first Dense layer, for the sparse forward pass.
        var firstDense = modules[0].Item2 as Linear;
        var rest = firstDense != null && modules.Count > 1 ? nn.Sequential(modules.Skip(1)) : null;
        return new Network(nn.Sequential(modules), penalties, firstDense, rest, dropoutGenerator);
    }

    private static Linear Linear(int inputs, int outputs, bool useBias, Random random)
    {
        var linear = nn.Linear(inputs, outputs, hasBias: useBias);
        // Keras' Dense initialisation (glorot_uniform kernel: U(±√(6 / (fan_in + fan_out))), zero bias), not PyTorch's kaiming default.
        using (no_grad())
        {
            float limit = (float)Math.Sqrt(6.0 / (inputs + outputs));
            var weights = TensorMemory.Floats(linear.weight!);
            for (int i = 0; i < weights.Length; i++)
                weights[i] = (float)(random.NextDouble() * 2 - 1) * limit;
            if (linear.bias is { } bias)
                nn.init.zeros_(bias);
        }
        return linear;
    }

    private static nn.Module<Tensor, Tensor>? ActivationModule(Activation activation) => activation switch
    {
        Activation.Linear => null,
        Activation.Relu => nn.ReLU(),
        Activation.Sigmoid => nn.Sigmoid(),
        Activation.Tanh => nn.Tanh(),
        Activation.Elu => nn.ELU(),
        Activation.Selu => nn.SELU(),
        Activation.Gelu => nn.GELU(),
        Activation.Softplus => nn.Softplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
