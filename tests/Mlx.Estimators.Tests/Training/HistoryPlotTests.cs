using Microsoft.ML;
using Mlx.Estimators.Tests.Trainers;
using SkiaSharp;
using Xunit;

namespace Mlx.Estimators.Tests.Training;

/// <summary>
/// History.SavePlot writes a PNG (decoded here with SkiaSharp) holding the training and validation curves in both
/// panels and, when early stopping restored weights, a vertical marker at that epoch.
/// </summary>
public class HistoryPlotTests
{
    [Fact]
    public void Plot_of_a_real_training_has_both_curves_in_both_panels_and_no_marker()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(8, Activation.Relu) }, Epochs = 6, Seed = 1, Threads = 1, ValidationFraction = 0.25 };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(Datasets.Wine(ml));
        using var bitmap = Render(model.History);

        Assert.Equal((HistoryPlot.Width, HistoryPlot.Height), (bitmap.Width, bitmap.Height));
        foreach (var (from, to) in Halves(bitmap))
        {
            Assert.True(Columns(bitmap, HistoryPlot.TrainingColor, from, to).Values.Sum() > 100, "training curve drawn");
            Assert.True(Columns(bitmap, HistoryPlot.ValidationColor, from, to).Values.Sum() > 100, "validation curve drawn");
            Assert.Empty(Columns(bitmap, HistoryPlot.RestoredColor, from, to));
        }
    }

    [Fact]
    public void The_restored_epoch_is_a_vertical_line_at_that_epoch()
    {
        var early = Render(History(restoredEpoch: 3));
        var late = Render(History(restoredEpoch: 8));
        foreach (var (from, to) in Halves(early))
        {
            int Marker(SKBitmap b)
            {
                var column = Columns(b, HistoryPlot.RestoredColor, from, to).MaxBy(c => c.Value);
                Assert.True(column.Value > 40, $"a vertical dashed line (tallest green column: {column.Value} pixels)");
                return column.Key;
            }
            int at3 = Marker(early), at8 = Marker(late);
            Assert.True(at8 - at3 > 100, $"epoch 8 marker (x = {at8}) right of epoch 3 marker (x = {at3})");
        }
        early.Dispose();
        late.Dispose();
    }

    [Fact]
    public void The_start_of_fine_tuning_is_a_grey_line_between_the_phases()
    {
        using var plain = Render(History(restoredEpoch: 3));
        var tuned = History(restoredEpoch: 3);
        tuned.FineTuningStartEpoch = 7;
        using var marked = Render(tuned);
        var restored = Columns(marked, HistoryPlot.RestoredColor, 0, marked.Width / 2).MaxBy(c => c.Value).Key;
        foreach (var (from, to) in Halves(marked))
        {
            Assert.DoesNotContain(Columns(plain, HistoryPlot.FineTuningColor, from, to), c => c.Value > 40);
            var line = Columns(marked, HistoryPlot.FineTuningColor, from, to).MaxBy(c => c.Value);
            Assert.True(line.Value > 40, $"a vertical dotted line (tallest grey column: {line.Value} pixels)");
        }
        // Epoch 6.5 lies right of the epoch-3 marker in the loss panel.
        Assert.True(Columns(marked, HistoryPlot.FineTuningColor, 0, marked.Width / 2).MaxBy(c => c.Value).Key - restored > 100);
    }

    private static TrainingHistory History(int restoredEpoch)
    {
        var records = Enumerable.Range(1, 10).Select(e => new EpochRecord(e, 1.0 / e, 1 - 0.5 / e, 1.2 / e + 0.02 * e, 0.9 - 0.4 / e, 1e-3, 0.1));
        return new TrainingHistory("accuracy", records) { RestoredEpoch = restoredEpoch };
    }

    private static SKBitmap Render(TrainingHistory history)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlx-history-{Guid.NewGuid():N}.png");
        history.SavePlot(path);
        var bitmap = SKBitmap.Decode(path);
        File.Delete(path);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    private static (int From, int To)[] Halves(SKBitmap bitmap) => [(0, bitmap.Width / 2), (bitmap.Width / 2, bitmap.Width)];

    /// <summary>Pixel count of one exact colour per image column, for columns in [from, to) that have any.</summary>
    private static Dictionary<int, int> Columns(SKBitmap bitmap, ScottPlot.Color color, int from, int to)
    {
        var counts = new Dictionary<int, int>();
        for (int x = from; x < to; x++)
            for (int y = 0; y < bitmap.Height; y++)
            {
                var p = bitmap.GetPixel(x, y);
                if (p.Red == color.R && p.Green == color.G && p.Blue == color.B)
                    counts[x] = counts.GetValueOrDefault(x) + 1;
            }
        return counts;
    }
}
