namespace Mlx.Estimators;

/// <summary>The prediction task, which fixes the output layer, the loss and the metric (as in Keras).</summary>
public enum NeuralNetworkTask
{
    /// <summary>One sigmoid unit, binary cross-entropy, accuracy; Boolean label.</summary>
    BinaryClassification,
    /// <summary>Softmax over the label's classes, sparse categorical cross-entropy, accuracy; key label.</summary>
    MulticlassClassification,
    /// <summary>One linear unit, mean squared error, mean absolute error reported; Single label.</summary>
    Regression,
}
