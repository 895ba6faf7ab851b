namespace Mlx.Estimators;

/// <summary>Activation functions of a <see cref="DenseLayer"/> (Keras names).</summary>
public enum Activation
{
    /// <summary>None: the layer is linear.</summary>
    Linear,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Exponential linear unit (α = 1).</summary>
    Elu,
    /// <summary>Scaled ELU (self-normalising networks).</summary>
    Selu,
    /// <summary>Gaussian error linear unit (exact erf form).</summary>
    Gelu,
    /// <summary>ln(1 + e^x).</summary>
    Softplus,
}
