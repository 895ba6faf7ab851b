using System.Globalization;
using Microsoft.ML;
using Mlx.TestSupport;

namespace Mlx.FeatureEngineering.Tests.Selection;

/// <summary>Golden datasets as data views with text labels (classes) or numeric labels (continuous target).</summary>
internal static class SelectionTestData
{
    public static readonly string[] Classification = ["iris", "wine", "breast_cancer", "mixed_cat"];

    public static (double[][] X, string[] Labels, string[] Columns, GoldenJson Golden) Load(string dataset)
    {
        var golden = GoldenJson.LoadSklearn(dataset);
        var columns = GoldenJson.Strings(golden.At("meta", "numeric_features"));
        var table = CsvTable.Load(RepoPaths.SklearnGolden(dataset + ".csv"));
        var labelColumn = golden.At("meta", "label").GetString()!;
        var labels = table.Rows.Select(r => r[Array.IndexOf(table.Header, labelColumn)]).ToArray();
        return (table.Numeric(columns), labels, columns, golden);
    }

    /// <summary>Text labels: classes sorted as sklearn (ordinal; the golden numeric class labels are single digits).</summary>
    public static IDataView WithClasses(MLContext ml, double[][] x, string[] labels) => LabeledDataViews.WithTextLabels(ml, x, labels);

    /// <summary>Numeric labels: text classes become their sorted index (sklearn's y_numeric).</summary>
    public static IDataView WithNumericTarget(MLContext ml, double[][] x, string[] labels)
    {
        bool numeric = labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var classes = labels.Distinct().Order(StringComparer.Ordinal).ToList();
        var y = labels.Select(l => numeric ? double.Parse(l, CultureInfo.InvariantCulture) : classes.IndexOf(l)).ToArray();
        return LabeledDataViews.WithNumericLabels(ml, x, y);
    }
}
