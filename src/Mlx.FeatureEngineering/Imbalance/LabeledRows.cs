using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Training rows read into memory for resampling: features row-major (finite values checked), each row's class (in
/// scikit-learn's class order) and label value, and the rows of each class in order.
/// </summary>
internal sealed class LabeledRows<TLabel>
{
    private LabeledRows(float[] features, int dimension, int[] classes, TLabel[] labels, IReadOnlyList<string> classNames)
    {
        Features = features;
        Dimension = dimension;
        Classes = classes;
        Labels = labels;
        ClassNames = classNames;
        RowsOf = Enumerable.Range(0, classNames.Count).Select(c => Enumerable.Range(0, classes.Length).Where(i => classes[i] == c).ToArray()).ToArray();
    }

    public float[] Features { get; }
    public int Dimension { get; }
    public int[] Classes { get; }
    public TLabel[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Row indices of each class, in data order.</summary>
    public int[][] RowsOf { get; }

    public int Count => Classes.Length;

    /// <summary>Row <paramref name="row"/>'s features.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * Dimension, Dimension);

    public static LabeledRows<TLabel> Read(IDataView data, string featureColumnName, string labelColumnName)
    {
        var featureColumn = SlotColumn.Resolve(data.Schema, featureColumnName);
        var label = ClassLabelColumn.Resolve(data.Schema, labelColumnName);
        int d = featureColumn.SlotCount;
        var features = new List<float>();
        var codes = new List<int>();
        var labels = new List<TLabel>();
        using var cursor = data.GetRowCursor([data.Schema[featureColumnName], data.Schema[labelColumnName]]);
        var readFeatures = DenseRowReader.Create<float>(cursor, data.Schema[featureColumnName], featureColumn.IsVector, d);
        var readLabel = cursor.GetGetter<TLabel>(data.Schema[labelColumnName]);
        var classOf = label.MakeGetter(cursor);
        TLabel value = default!;
        long row = 0;
        while (cursor.MoveNext())
        {
            var x = readFeatures();
            for (int j = 0; j < x.Length; j++)
            {
                if (!float.IsFinite(x[j]))
                    throw MlxError.BadValue(MlxError.Where(featureColumnName, j, row: row), x[j], "resampling needs finite features (distances and copies of rows)", "Impute or drop missing values first (ReplaceMissingValues or FilterRowsByMissingValues).");
            }
            features.AddRange(x);
            codes.Add(classOf(row));
            readLabel(ref value);
            labels.Add(value);
            row++;
        }
        if (row == 0)
            throw MlxError.CannotFit("the data", "it has no rows", "Resample the training data, after any filters.");
        if (label.ClassCount < 2)
            throw MlxError.CannotFit(labelColumnName, $"it has a single class ({label.Classes[0]})", "Resampling balances classes: give data with at least two classes.");
        var rank = label.ClassOf();
        return new LabeledRows<TLabel>(features.ToArray(), d, codes.Select(c => rank[c]).ToArray(), labels.ToArray(), label.Classes);
    }
}
