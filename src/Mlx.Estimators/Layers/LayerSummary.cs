namespace Mlx.Estimators;

/// <summary>One row of <see cref="NeuralNetworkModel.Summary"/>: a layer, its output shape (per example) and its parameter counts.</summary>
/// <param name="Layer">The layer's Keras class name.</param>
/// <param name="OutputShape">The shape it outputs, without the batch axis, channels first.</param>
/// <param name="Parameters">All its values, as Keras counts them (batch normalization's moving statistics included).</param>
/// <param name="TrainableParameters">The values training changes by gradient.</param>
public sealed record LayerSummary(string Layer, IReadOnlyList<int> OutputShape, long Parameters, long TrainableParameters)
{
    /// <summary>The rows as Keras' <c>model.summary()</c> prints them, with totals.</summary>
    public static string Format(IReadOnlyList<LayerSummary> rows)
    {
        var text = new System.Text.StringBuilder();
        string line = new('─', 64);
        text.AppendLine(line).AppendLine($"{"Layer (type)",-28}{"Output Shape",-22}{"Param #",14}").AppendLine(line);
        foreach (var row in rows)
            text.AppendLine($"{row.Layer,-28}{LayerBuild.Show(row.OutputShape.ToArray()),-22}{row.Parameters,14:N0}");
        long total = rows.Sum(r => r.Parameters), trainable = rows.Sum(r => r.TrainableParameters);
        text.AppendLine(line).AppendLine($"Total params: {total:N0}").AppendLine($"Trainable params: {trainable:N0}").Append($"Non-trainable params: {total - trainable:N0}");
        return text.ToString();
    }
}
