using TorchSharp.Modules;

namespace Mlx.Estimators;

/// <summary>
/// An optimiser description with Keras' defaults (created per training run, so an options object can be reused):
/// <see cref="Sgd"/> (momentum, Nesterov), <see cref="Adagrad"/>, <see cref="RmsProp"/> (the default) and <see cref="Adam"/>.
/// </summary>
public abstract record Optimizer
{
    private protected Optimizer(double learningRate)
    {
        LearningRate = learningRate > 0 && double.IsFinite(learningRate)
            ? learningRate
            : throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and finite.");
    }

    /// <summary>The initial learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>Stochastic gradient descent (Keras <c>SGD</c>: lr 0.01).</summary>
    public static Optimizer Sgd(double learningRate = 0.01, double momentum = 0, bool nesterov = false) => new SgdOptimizer(learningRate, momentum, nesterov);

    /// <summary>Adagrad (Keras: lr 0.001, initial accumulator 0.1, ε 1e-7).</summary>
    public static Optimizer Adagrad(double learningRate = 0.001) => new AdagradOptimizer(learningRate);

    /// <summary>RMSProp (Keras: lr 0.001, ρ 0.9, ε 1e-7).</summary>
    public static Optimizer RmsProp(double learningRate = 0.001, double rho = 0.9, double momentum = 0) => new RmsPropOptimizer(learningRate, rho, momentum);

    /// <summary>Adam (Keras: lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7).</summary>
    public static Optimizer Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999) => new AdamOptimizer(learningRate, beta1, beta2);

    /// <summary>TorchSharp's own implementation (kept as the reference the tests compare the in-place updates with).</summary>
    internal abstract TorchSharp.torch.optim.Optimizer CreateTorchSharp(IEnumerable<Parameter> parameters);

    /// <summary>The in-place update used for training.</summary>
    internal abstract ParameterUpdate CreateUpdate(IEnumerable<Parameter> parameters);
}

internal sealed record SgdOptimizer(double Rate, double Momentum, bool Nesterov) : Optimizer(Rate)
{
    internal override TorchSharp.torch.optim.Optimizer CreateTorchSharp(IEnumerable<Parameter> parameters) =>
        TorchSharp.torch.optim.SGD(parameters, LearningRate, Momentum, 0, 0, Nesterov, false);

    internal override ParameterUpdate CreateUpdate(IEnumerable<Parameter> parameters) => new SgdUpdate(parameters, LearningRate, Momentum, Nesterov);
}

internal sealed record AdagradOptimizer(double Rate) : Optimizer(Rate)
{
    internal override TorchSharp.torch.optim.Optimizer CreateTorchSharp(IEnumerable<Parameter> parameters) =>
        TorchSharp.torch.optim.Adagrad(parameters, LearningRate, 0, 0, 0.1, 1e-7);

    internal override ParameterUpdate CreateUpdate(IEnumerable<Parameter> parameters) => new AdagradUpdate(parameters, LearningRate);
}

internal sealed record RmsPropOptimizer(double Rate, double Rho, double Momentum) : Optimizer(Rate)
{
    internal override TorchSharp.torch.optim.Optimizer CreateTorchSharp(IEnumerable<Parameter> parameters) =>
        TorchSharp.torch.optim.RMSProp(parameters, LearningRate, Rho, 1e-7, 0, Momentum, false, false);

    internal override ParameterUpdate CreateUpdate(IEnumerable<Parameter> parameters) => new RmsPropUpdate(parameters, LearningRate, Rho, Momentum);
}

internal sealed record AdamOptimizer(double Rate, double Beta1, double Beta2) : Optimizer(Rate)
{
    internal override TorchSharp.torch.optim.Optimizer CreateTorchSharp(IEnumerable<Parameter> parameters) =>
        TorchSharp.torch.optim.Adam(parameters, LearningRate, Beta1, Beta2, 1e-7, 0, false, false);

    internal override ParameterUpdate CreateUpdate(IEnumerable<Parameter> parameters) => new AdamUpdate(parameters, LearningRate, Beta1, Beta2);
}
