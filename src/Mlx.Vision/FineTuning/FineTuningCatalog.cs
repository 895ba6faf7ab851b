using Microsoft.ML;
using Mlx.Estimators;

namespace Mlx.Vision;

/// <summary>
/// Fine-tuning a pretrained convnet on images (the book's 5.3.2 recipe) as ML.NET trainers: the backbone frozen while
/// the head (<see cref="NeuralNetworkOptions.Layers"/>) trains for <see cref="NeuralNetworkOptions.Epochs"/> with
/// <see cref="NeuralNetworkOptions.Optimizer"/>, then its top convolutions trained jointly in the
/// <see cref="NeuralNetworkOptions.FineTuning"/> phase (RMSProp 1e-5 for 10 epochs when not set). Everything else is the
/// neural-network trainer's: validation, early stopping, checkpoints, augmentation on the fly
/// (<see cref="ImageBatchAugmentation"/>), progress, History, batched scoring, saving with the fine-tuned weights inside.
/// The feature column is an image column of the backbone's size (LoadImages → ResizeImages).
/// </summary>
public static class FineTuningCatalog
{
    /// <summary>A multiclass image classifier fine-tuned from <paramref name="backbone"/>.</summary>
    /// <param name="catalog">The multiclass trainers.</param>
    /// <param name="backbone">The pretrained base, cut below its classifier (e.g. <see cref="OnnxBackbone.ResNet18"/>).</param>
    /// <param name="options">The head (<c>Layers</c>, e.g. Flatten and Dropout; the output layer is added) and the training settings; not modified.</param>
    /// <param name="unfreezeTopConvolutions">Convolutions from the top trained in the fine-tuning phase.</param>
    public static NeuralNetworkTrainer FineTuneImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        OnnxBackbone backbone, NeuralNetworkOptions options, int unfreezeTopConvolutions = 2) =>
        catalog.NeuralNetwork(WithBackbone(backbone, options, unfreezeTopConvolutions));

    /// <summary>A binary image classifier fine-tuned from <paramref name="backbone"/> (see the multiclass overload).</summary>
    public static NeuralNetworkTrainer FineTuneImageClassifier(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        OnnxBackbone backbone, NeuralNetworkOptions options, int unfreezeTopConvolutions = 2) =>
        catalog.NeuralNetwork(WithBackbone(backbone, options, unfreezeTopConvolutions));

    private static NeuralNetworkOptions WithBackbone(OnnxBackbone backbone, NeuralNetworkOptions options, int unfreezeTopConvolutions)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(options);
        var layer = VisionLayers.Backbone(backbone, unfreezeTopConvolutions);
        var tuned = options.Clone();
        tuned.Layers = [layer, .. options.Layers];
        tuned.InputShape = layer.InputShape;
        tuned.FineTuning ??= new FineTuningPhase();
        return tuned;
    }
}
