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
    /// <summary>One sigmoid unit per label, binary cross-entropy per label, per-label accuracy; known-size vector of Boolean label.</summary>
    MultilabelClassification,
    /// <summary>One linear unit per output, mean squared error, mean absolute error reported; known-size vector of Single label.</summary>
    VectorRegression,
}

internal static class NeuralNetworkTaskInfo
{
    /// <summary>Columns the model writes: binary and multilabel Score, Probability, PredictedLabel; multiclass Score, PredictedLabel; regression Score.</summary>
    public static int OutputColumnCount(this NeuralNetworkTask task) => task switch
    {
        NeuralNetworkTask.BinaryClassification or NeuralNetworkTask.MultilabelClassification => 3,
        NeuralNetworkTask.MulticlassClassification => 2,
        _ => 1,
    };

    public static bool IsVectorLabel(this NeuralNetworkTask task) => task is NeuralNetworkTask.MultilabelClassification or NeuralNetworkTask.VectorRegression;

    public static bool IsRegression(this NeuralNetworkTask task) => task is NeuralNetworkTask.Regression or NeuralNetworkTask.VectorRegression;
}
