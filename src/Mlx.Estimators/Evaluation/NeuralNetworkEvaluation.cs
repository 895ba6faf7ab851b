using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Estimators;

/// <summary>Evaluation of the vector-label networks, which ML.NET's evaluators do not cover.</summary>
public static class NeuralNetworkEvaluation
{
    /// <summary>Multilabel metrics from a scored data view (vector of Boolean label and PredictedLabel).</summary>
    public static MultilabelMetrics EvaluateMultilabel(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(data);
        var (label, predicted) = (Vector(data, labelColumnName, BooleanDataViewType.Instance), Vector(data, predictedLabelColumnName, BooleanDataViewType.Instance));
        int k = ((VectorDataViewType)label.Type).Size;
        var names = SlotNames(predicted, k);
        long rows = 0, exact = 0;
        var tp = new long[k];
        var fp = new long[k];
        var fn = new long[k];
        var correct = new long[k];
        var positives = new long[k];
        using (var cursor = data.GetRowCursor(new[] { label, predicted }))
        {
            var getLabel = cursor.GetGetter<VBuffer<bool>>(label);
            var getPredicted = cursor.GetGetter<VBuffer<bool>>(predicted);
            VBuffer<bool> y = default, p = default;
            var truth = new bool[k];
            var guess = new bool[k];
            while (cursor.MoveNext())
            {
                getLabel(ref y);
                getPredicted(ref p);
                y.CopyTo(truth);
                p.CopyTo(guess);
                bool all = true;
                for (int j = 0; j < k; j++)
                {
                    if (truth[j]) positives[j]++;
                    if (truth[j] == guess[j]) correct[j]++; else all = false;
                    if (truth[j] && guess[j]) tp[j]++;
                    else if (!truth[j] && guess[j]) fp[j]++;
                    else if (truth[j] && !guess[j]) fn[j]++;
                }
                if (all) exact++;
                rows++;
            }
        }
        if (rows == 0)
            throw MlxError.CannotFit("the evaluation data", "it has no rows", "Evaluate on a non-empty scored data view.");
        var perLabel = Enumerable.Range(0, k).Select(j =>
        {
            double precision = tp[j] + fp[j] == 0 ? double.NaN : (double)tp[j] / (tp[j] + fp[j]);
            double recall = tp[j] + fn[j] == 0 ? double.NaN : (double)tp[j] / (tp[j] + fn[j]);
            return new LabelMetrics(names[j], (double)correct[j] / rows, precision, recall, F1(tp[j], fp[j], fn[j]), positives[j]);
        }).ToList();
        double micro = F1(tp.Sum(), fp.Sum(), fn.Sum());
        double macro = perLabel.Average(l => double.IsNaN(l.F1) ? 0 : l.F1);
        return new MultilabelMetrics((double)exact / rows, 1 - (double)correct.Sum() / (rows * k), double.IsNaN(micro) ? 0 : micro, macro, perLabel);
    }

    /// <summary>Per-output MAE, RMSE and R² from a scored data view (vector of Single label and Score).</summary>
    public static VectorRegressionMetrics EvaluateVector(this RegressionCatalog catalog, IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(data);
        var (label, score) = (Vector(data, labelColumnName, NumberDataViewType.Single), Vector(data, scoreColumnName, NumberDataViewType.Single));
        int k = ((VectorDataViewType)label.Type).Size;
        var names = SlotNames(score, k);
        var absolute = new double[k];
        var squared = new double[k];
        var sum = new double[k];
        var sumSquares = new double[k];
        long rows = 0;
        using (var cursor = data.GetRowCursor(new[] { label, score }))
        {
            var getLabel = cursor.GetGetter<VBuffer<float>>(label);
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            VBuffer<float> y = default, s = default;
            var truth = new float[k];
            var guess = new float[k];
            while (cursor.MoveNext())
            {
                getLabel(ref y);
                getScore(ref s);
                y.CopyTo(truth);
                s.CopyTo(guess);
                for (int j = 0; j < k; j++)
                {
                    double e = guess[j] - (double)truth[j];
                    absolute[j] += Math.Abs(e);
                    squared[j] += e * e;
                    sum[j] += truth[j];
                    sumSquares[j] += (double)truth[j] * truth[j];
                }
                rows++;
            }
        }
        if (rows == 0)
            throw MlxError.CannotFit("the evaluation data", "it has no rows", "Evaluate on a non-empty scored data view.");
        var perOutput = Enumerable.Range(0, k).Select(j =>
        {
            double total = sumSquares[j] - sum[j] * sum[j] / rows; // Σ(y − ȳ)²
            return new OutputMetrics(names[j], absolute[j] / rows, Math.Sqrt(squared[j] / rows), total > 0 ? 1 - squared[j] / total : double.NaN);
        }).ToList();
        return new VectorRegressionMetrics(perOutput.Average(o => o.MeanAbsoluteError), perOutput.Average(o => o.RootMeanSquaredError), perOutput.Average(o => o.RSquared), perOutput);
    }

    private static double F1(long tp, long fp, long fn) => 2 * tp + fp + fn == 0 ? double.NaN : 2.0 * tp / (2 * tp + fp + fn);

    private static DataViewSchema.Column Vector(IDataView data, string name, PrimitiveDataViewType item)
    {
        var column = data.Schema.GetColumnOrNull(name) ?? throw MlxError.MissingColumn(name, data.Schema.Select(c => c.Name));
        return column.Type is VectorDataViewType { Size: > 0 } v && v.ItemType == item
            ? column
            : throw MlxError.WrongColumnType(name, $"a known-size vector of {item}", $"{column.Type}", "Evaluate the output of a multilabel / vector-regression network with its label column.");
    }

    /// <summary>A vector column's slot names (existing helper), with "0", "1", ... for missing ones.</summary>
    internal static string[] SlotNames(DataViewSchema.Column column, int k)
    {
        var names = Mlx.Core.Data.SlotColumn.SlotNamesOf(column);
        return Enumerable.Range(0, k).Select(j => names is { } n && j < n.Length && n[j].Length > 0 ? n[j] : j.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
