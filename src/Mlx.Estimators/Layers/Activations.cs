using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>The TorchSharp module of each <see cref="Activation"/> (none for <see cref="Activation.Linear"/>).</summary>
internal static class Activations
{
    public static nn.Module<Tensor, Tensor>? Module(Activation activation) => activation switch
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
