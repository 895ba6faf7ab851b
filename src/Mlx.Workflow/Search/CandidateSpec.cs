using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>
/// One configuration the search tries (step 6). Networks: hidden Dense ReLU layers of <paramref name="Units"/>, dropout
/// after each, an L2 penalty on each, RMSProp at a learning rate, early stopping on the validation loss. Linear models:
/// an L2 penalty (0: the trainer's default). Boosted trees: LightGBM with <paramref name="Leaves"/> leaves per tree at a
/// learning rate, boosting rounds early-stopped on each fold's validation rows.
/// </summary>
/// <param name="Name">Short name in the report.</param>
/// <param name="Kind">Family.</param>
/// <param name="Stage">Which part of the book's step 6 proposed it: first model, scale up, regularize, tune.</param>
/// <param name="Units">Hidden layer widths (networks).</param>
/// <param name="Dropout">Dropout rate after each hidden layer (networks).</param>
/// <param name="L2">L2 penalty of each hidden layer (networks) or of the weights (linear models; 0: the trainer's default).</param>
/// <param name="LearningRate">RMSProp learning rate (networks) or shrinkage (boosted trees).</param>
/// <param name="Leaves">Leaves per tree (boosted trees).</param>
public sealed record CandidateSpec(string Name, CandidateKind Kind, string Stage, IReadOnlyList<int> Units, double Dropout = 0, double L2 = 0, double LearningRate = 1e-3,
    int Leaves = 31)
{
    /// <summary>The configuration in words.</summary>
    public string Describe() => Kind switch
    {
        CandidateKind.Linear => "linear model" + (L2 > 0 ? $", L2 {L2:0.####}" : ""),
        CandidateKind.Forest => "random forest (FastForest), 100 trees of up to 256 leaves, features sampled per split",
        CandidateKind.Trees => $"LightGBM boosted trees, {Leaves} leaves, learning rate {LearningRate:0.###}, rounds early-stopped on validation",
        _ => $"dense {string.Join("-", Units)} ReLU" + (Dropout > 0 ? $", dropout {Dropout}" : "") + (L2 > 0 ? $", L2 {L2:0.####}" : "")
            + $", RMSProp lr {LearningRate:0.#####}",
    };

    /// <summary>The network's layers.</summary>
    public IReadOnlyList<Layer> Layers()
    {
        var layers = new List<Layer>();
        foreach (var units in Units)
        {
            layers.Add(Layer.Dense(units, Activation.Relu, L2 > 0 ? Regularizer.L2Penalty(L2) : null));
            if (Dropout > 0)
                layers.Add(Layer.Dropout(Dropout));
        }
        return layers;
    }

    /// <summary>Weights of the network on <paramref name="inputs"/> input slots (hidden layers and a one-unit output): the cost of a step grows with it.</summary>
    public double Weights(int inputs)
    {
        double weights = 0, previous = inputs;
        foreach (var units in Units)
        {
            weights += previous * units;
            previous = units;
        }
        return weights + previous;
    }
}
