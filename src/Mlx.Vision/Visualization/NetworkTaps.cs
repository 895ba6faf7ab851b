using Mlx.Estimators;
using static TorchSharp.torch;

namespace Mlx.Vision.Visualization;

/// <summary>
/// Runs a network trained with Mlx module by module and keeps one intermediate activation: the output of a hidden
/// layer (by its index in <see cref="NeuralNetworkModel.Layers"/>), or a tensor inside a fine-tuned model's backbone.
/// The visualisations of Mlx-trained models all start here.
/// </summary>
internal static class NetworkTaps
{
    /// <summary>The model's scores (logits) and the output of hidden layer <paramref name="layer"/> for rows of features.</summary>
    public static (Tensor Scores, Tensor Activation) Forward(NeuralNetworkModel model, Tensor features, int layer)
    {
        CheckFeatures(model, features);
        if (layer < 0 || layer >= model.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The model has {model.Layers.Count} hidden layers (0 … {model.Layers.Count - 1}).");
        var modules = model.Network.Modules;
        int end = (model.InputShape != null ? 1 : 0) + model.Network.LayerModules.Take(layer + 1).Sum(m => m.Count);
        Tensor x = features, tapped = null!;
        for (int i = 0; i < modules.Count; i++)
        {
            x = modules[i].forward(x);
            if (i == end - 1)
                tapped = x;
        }
        return (x, tapped);
    }

    /// <summary>The model's scores and tensor <paramref name="backboneTensor"/> of its backbone (the first layer).</summary>
    public static (Tensor Scores, Tensor Activation) Forward(NeuralNetworkModel model, Tensor features, string backboneTensor)
    {
        CheckFeatures(model, features);
        if (model.Layers.Count == 0 || model.Layers[0] is not BackboneLayer)
            throw new ArgumentException("The model's first layer is not a pretrained backbone; give the index of a hidden layer instead.", nameof(backboneTensor));
        Tensor x = features, tapped = null!;
        foreach (var module in model.Network.Modules)
        {
            if (module is BackboneModule backbone)
            {
                var (output, taps) = backbone.Network.ForwardWithTaps(backbone.Preprocess(x), [backboneTensor]);
                (x, tapped) = (output, taps[backboneTensor]);
            }
            else
            {
                x = module.forward(x);
            }
        }
        return (x, tapped);
    }

    /// <summary>Runs <paramref name="work"/> with the model in inference mode, restoring its mode afterwards.</summary>
    public static T InEvalMode<T>(nn.Module<Tensor, Tensor> module, Func<T> work)
    {
        bool wasTraining = module.training;
        module.eval();
        try
        {
            return work();
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    private static void CheckFeatures(NeuralNetworkModel model, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != model.FeatureSize)
            throw new ArgumentException($"Give rows of {model.FeatureSize} features as an (N, {model.FeatureSize}) tensor, not [{string.Join(", ", features.shape)}].", nameof(features));
    }
}
