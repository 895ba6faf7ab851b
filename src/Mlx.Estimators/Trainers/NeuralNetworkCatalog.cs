using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Estimators;

/// <summary>The neural-network trainers on ML.NET's binary, multiclass and regression catalogs.</summary>
public static class NeuralNetworkCatalog
{
    /// <summary>A dense network for a Boolean label: sigmoid output, binary cross-entropy (Keras).</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, NeuralNetworkOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), NeuralNetworkTask.BinaryClassification, options);

    /// <summary>A dense network for a Boolean label with the given layers (default 64-64 relu), RMSProp.</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", IReadOnlyList<Layer>? layers = null, int epochs = 20, int batchSize = 32) =>
        catalog.NeuralNetwork(Simple(labelColumnName, featureColumnName, layers, epochs, batchSize));

    /// <summary>A dense network for a key label: softmax output, sparse categorical cross-entropy (Keras).</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NeuralNetworkOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), NeuralNetworkTask.MulticlassClassification, options);

    /// <summary>A dense network for a key label with the given layers (default 64-64 relu), RMSProp.</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", IReadOnlyList<Layer>? layers = null, int epochs = 20, int batchSize = 32) =>
        catalog.NeuralNetwork(Simple(labelColumnName, featureColumnName, layers, epochs, batchSize));

    /// <summary>A dense network for a Single label: linear output, mean squared error, MAE reported (Keras).</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, NeuralNetworkOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), NeuralNetworkTask.Regression, options);

    /// <summary>A dense network for a Single label with the given layers (default 64-64 relu), RMSProp.</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", IReadOnlyList<Layer>? layers = null, int epochs = 20, int batchSize = 32) =>
        catalog.NeuralNetwork(Simple(labelColumnName, featureColumnName, layers, epochs, batchSize));

    private static NeuralNetworkOptions Simple(string label, string features, IReadOnlyList<Layer>? layers, int epochs, int batchSize)
    {
        var options = new NeuralNetworkOptions { LabelColumnName = label, FeatureColumnName = features, Epochs = epochs, BatchSize = batchSize };
        if (layers != null)
            options.Layers = layers;
        return options;
    }
}
