using System.Globalization;
using System.Text;

namespace Mlx.Estimators;

/// <summary>Per-epoch record of a training run (Keras' <c>History</c>), kept with the fitted model.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> _epochs;

    internal TrainingHistory(string metricName, IEnumerable<EpochRecord>? epochs = null)
    {
        MetricName = metricName;
        _epochs = epochs?.ToList() ?? new List<EpochRecord>();
    }

    /// <summary>"accuracy" or "mae".</summary>
    public string MetricName { get; }

    /// <summary>The epochs, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>The epoch whose weights the model holds when early stopping restored the best ones, else null.</summary>
    public int? RestoredEpoch { get; internal set; }

    /// <summary>The first epoch of the fine-tuning phase (<see cref="NeuralNetworkOptions.FineTuning"/>), or null.</summary>
    public int? FineTuningStartEpoch { get; internal set; }

    /// <summary>Seconds spent reading the IDataView into tensors before the first epoch (ML.NET's data path).</summary>
    public double DataSeconds { get; internal set; }

    /// <summary>Why training stopped ("completed", "early stopping at epoch 12", ...).</summary>
    public string StopReason { get; internal set; } = "completed";

    internal void Add(EpochRecord record) => _epochs.Add(record);

    /// <summary>
    /// Writes the loss and metric curves, training vs validation, as a PNG of two panels (Keras' classic history
    /// plots, drawn with ScottPlot); the epoch whose weights early stopping restored is marked with a dashed line.
    /// </summary>
    public void SavePlot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_epochs.Count == 0)
            throw new InvalidOperationException("The history has no epochs to plot.");
        HistoryPlot.Save(this, path);
    }

    /// <summary>The history as CSV (Keras' CSVLogger columns).</summary>
    public string ToCsv()
    {
        var text = new StringBuilder($"epoch,loss,{MetricName},val_loss,val_{MetricName},lr,seconds\n");
        foreach (var e in _epochs)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{e.Loss:R},{e.Metric:R},{e.ValidationLoss?.ToString("R", CultureInfo.InvariantCulture)},")
                .Append(CultureInfo.InvariantCulture, $"{e.ValidationMetric?.ToString("R", CultureInfo.InvariantCulture)},{e.LearningRate:R},{e.Seconds:F3}\n");
        }
        return text.ToString();
    }

    internal static TrainingHistory FromCsv(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string metric = lines[0].Split(',')[2];
        static double? Optional(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
        var epochs = lines.Skip(1).Select(l => l.Split(',')).Select(f => new EpochRecord(
            int.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture),
            Optional(f[3]), Optional(f[4]), double.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[6], CultureInfo.InvariantCulture)));
        return new TrainingHistory(metric, epochs);
    }
}
