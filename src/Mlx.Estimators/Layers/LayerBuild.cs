using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// What a layer needs while the network is built: the shape arriving at it (per example, channels first), the run's
/// seeded random source for initial weights, the dropout generator, and the lists the layer adds its modules and
/// regularized weights to. One pass over the stack infers every shape and builds every module.
/// </summary>
internal sealed class LayerBuild
{
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _modules;
    private readonly List<(Parameter Weight, Regularizer Penalty)> _penalties;

    public LayerBuild(Random random, Generator dropoutGenerator, List<(string, nn.Module<Tensor, Tensor>)> modules, List<(Parameter, Regularizer)> penalties)
    {
        Random = random;
        DropoutGenerator = dropoutGenerator;
        _modules = modules;
        _penalties = penalties;
    }

    /// <summary>The shape arriving at the current layer, without the batch axis (e.g. [784] or [1, 28, 28]).</summary>
    public int[] Shape { get; set; } = [];

    /// <summary>The position of the current layer in the stack (0-based), for names and messages.</summary>
    public int Index { get; set; }

    /// <summary>
    /// Whether the network reads token ids of varying length (padded with 0 to the longest row): the embedding then masks
    /// the padding whatever its <c>maskZero</c>, and a layer that needs one length (Flatten over the time axis) refuses.
    /// </summary>
    public bool VariableLength { get; init; }

    /// <summary>The padding mask the incoming sequences carry (see <see cref="SequenceMask"/>), or null.</summary>
    public SequenceMask? Mask { get; set; }

    /// <summary>Draws initial weights (seeded by the training run, not libtorch's process-wide generator).</summary>
    public Random Random { get; }

    /// <summary>Draws dropout masks (the run's own generator).</summary>
    public Generator DropoutGenerator { get; }

    /// <summary>Adds a module to the network under a name that says which layer it belongs to.</summary>
    public void Add(string name, nn.Module<Tensor, Tensor> module) => _modules.Add(($"{name}{Index}", module));

    /// <summary>Adds the activation's module, if it has one.</summary>
    public void AddActivation(Activation activation)
    {
        if (Activations.Module(activation) is { } module)
            Add(activation.ToString().ToLowerInvariant(), module);
    }

    /// <summary>Penalises <paramref name="weight"/> when the regularizer is not empty.</summary>
    public void Penalise(Parameter weight, Regularizer? regularizer)
    {
        if (regularizer is { } r && (r.L1 > 0 || r.L2 > 0))
            _penalties.Add((weight, r));
    }

    /// <summary>A shape error naming the layer, the incoming shape and the fix.</summary>
    public ArgumentException ShapeError(Layer layer, string problem, string fix) =>
        new($"Layer {Index} ({layer.Name}) receives examples of shape {Show(Shape)}: {problem}. {fix}");

    /// <summary>
    /// Fills a (rows × columns) weight, rows ≥ columns, with Keras' orthogonal initializer (gain 1): the Q of a QR
    /// decomposition of a standard normal matrix drawn from the run's random source, signs fixed by R's diagonal. Keras
    /// draws its recurrent kernel as (units, gates·units) and transposes Q; PyTorch's W_hh is that kernel transposed.
    /// </summary>
    public void Orthogonal(Tensor weight)
    {
        using var _ = no_grad();
        long rows = weight.shape[0], columns = weight.shape[1];
        var normal = new float[rows * columns];
        for (int i = 0; i < normal.Length; i++)
            normal[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - Random.NextDouble())) * Math.Cos(2 * Math.PI * Random.NextDouble()));
        using var a = tensor(normal, [rows, columns], ScalarType.Float64);
        var (q, r) = linalg.qr(a);
        using (q)
        using (r)
        using (var signs = r.diagonal().sign())
        using (var fixedQ = q * signs.unsqueeze(0))
            weight.copy_(fixedQ);
    }

    /// <summary>A shape as Keras prints it: (None, 28, 28, 1) becomes (1, 28, 28) here (channels first, no batch axis).</summary>
    public static string Show(IReadOnlyList<int> shape) => "(" + string.Join(", ", shape) + ")";

    /// <summary>Keras' zeros bias initializer (PyTorch draws biases uniformly).</summary>
    public static void ZeroBias(Tensor? bias)
    {
        if (bias is null)
            return;
        using var _ = no_grad();
        nn.init.zeros_(bias);
    }

    /// <summary>
    /// Fills a weight with Keras' glorot_uniform: U(±√(6 / (fan_in + fan_out))), drawn from the run's random source in the
    /// weight's memory order.
    /// </summary>
    public void GlorotUniform(Tensor weight, int fanIn, int fanOut)
    {
        using var _ = no_grad();
        float limit = (float)Math.Sqrt(6.0 / (fanIn + fanOut));
        var values = TensorMemory.Floats(weight);
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(Random.NextDouble() * 2 - 1) * limit;
    }
}
