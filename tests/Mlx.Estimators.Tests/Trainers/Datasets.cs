using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>The scikit-learn datasets of tests/golden/sklearn as ML.NET data: Features (all but 'target') and Label.</summary>
internal static class Datasets
{
    public static IDataView Numeric(MLContext ml, string name)
    {
        var table = CsvTable.Load(RepoPaths.SklearnGolden(name + ".csv"));
        var features = table.Header.Where(h => h != "target").ToArray();
        return LabeledDataViews.WithNumericLabels(ml, table.Numeric(features), table.Numeric(new[] { "target" }).Select(r => r[0]).ToArray());
    }

    /// <summary>breast_cancer with a Boolean label (malignant = 0 in scikit-learn, so true = benign) and standardised (centred) features: ML.NET centres only with fixZero: false.</summary>
    public static IDataView BreastCancer(MLContext ml)
    {
        var data = Numeric(ml, "breast_cancer");
        return ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean)
            .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false))
            .Fit(data).Transform(data);
    }

    /// <summary>wine (3 classes) with a key label whose values are the class numbers as text, standardised features.</summary>
    public static IDataView Wine(MLContext ml)
    {
        var data = Numeric(ml, "wine");
        return ml.Transforms.Conversion.ConvertType("LabelText", "Label", DataKind.String)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "LabelText"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false))
            .Fit(data).Transform(data);
    }

    /// <summary>diabetes (regression), standardised features.</summary>
    public static IDataView Diabetes(MLContext ml)
    {
        var data = Numeric(ml, "diabetes");
        return ml.Transforms.NormalizeMeanVariance("Features", fixZero: false).Fit(data).Transform(data);
    }
}
