using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>scikit-learn's 8×8 digits (tests/golden/sklearn/digits.csv): 64 pixels scaled to [0, 1], a key label of the digit.</summary>
internal static class DigitsData
{
    public static IDataView Load(MLContext ml)
    {
        var table = CsvTable.Load(RepoPaths.SklearnGolden("digits.csv"));
        var pixels = table.Header.Where(h => h != "label").ToArray();
        var rows = table.Numeric(pixels).Select(r => r.Select(v => v / 16.0).ToArray()).ToArray();
        var labels = table.Numeric(new[] { "label" }).Select(r => ((int)r[0]).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var data = LabeledDataViews.WithTextLabels(ml, rows, labels);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    public sealed class Row
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }
}
