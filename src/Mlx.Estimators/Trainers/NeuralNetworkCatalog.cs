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

    /// <summary>
    /// A dense network for several yes/no labels at once (a known-size vector of Boolean label): one sigmoid unit and
    /// binary cross-entropy per label. Writes vector Score (logits), Probability and PredictedLabel columns; evaluate
    /// with <see cref="NeuralNetworkEvaluation.EvaluateMultilabel"/>.
    /// </summary>
    public static NeuralNetworkTrainer MultilabelNeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NeuralNetworkOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), NeuralNetworkTask.MultilabelClassification, options);

    /// <summary>
    /// A dense network for several numeric targets at once (a known-size vector of Single label): linear outputs and
    /// mean squared error; a vector Score column. Evaluate with <see cref="NeuralNetworkEvaluation.EvaluateVector"/>.
    /// </summary>
    public static NeuralNetworkTrainer VectorNeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, NeuralNetworkOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), NeuralNetworkTask.VectorRegression, options);

    private static NeuralNetworkOptions Simple(string label, string features, IReadOnlyList<Layer>? layers, int epochs, int batchSize)
    {
        var options = new NeuralNetworkOptions { LabelColumnName = label, FeatureColumnName = features, Epochs = epochs, BatchSize = batchSize };
        if (layers != null)
            options.Layers = layers;
        return options;
    }
}
