using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Data;
using Mlx.Core.Numerics;
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
        var sizes = new int[classNames.Count];
        foreach (int c in classes)
            sizes[c]++;
        RowsOf = sizes.Select(n => new int[n]).ToArray();
        Array.Clear(sizes);
        for (int i = 0; i < classes.Length; i++)
            RowsOf[classes[i]][sizes[classes[i]]++] = i;
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

    // Optimized at once: a resampling reads its data a few times per process, too few for tiered compilation.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static LabeledRows<TLabel> Read(IDataView data, string featureColumnName, string labelColumnName)
    {
        var featureColumn = SlotColumn.Resolve(data.Schema, featureColumnName, nameof(featureColumnName));
        var label = ClassLabelColumn.Resolve(data.Schema, labelColumnName);
        int d = featureColumn.SlotCount;
        // Arrays sized by the row count when the data knows it (else doubled as rows come): no list to copy afterwards.
        int capacity = data.GetRowCount() is long known && known * Math.Max(d, 1) < Array.MaxLength ? (int)Math.Max(known, 1) : 1024;
        var features = new float[(long)capacity * d];
        var codes = new int[capacity];
        var labels = new TLabel[capacity];
        using var cursor = data.GetRowCursor([data.Schema[featureColumnName], data.Schema[labelColumnName]]);
        var readFeatures = DenseRowReader.Create<float>(cursor, data.Schema[featureColumnName], featureColumn.IsVector, d);
        var readLabel = cursor.GetGetter<TLabel>(data.Schema[labelColumnName]);
        var classOf = label.MakeGetter(cursor);
        int row = 0;
        while (cursor.MoveNext())
        {
            if (row == capacity)
            {
                capacity = checked(2 * capacity);
                Array.Resize(ref features, checked(capacity * d));
                Array.Resize(ref codes, capacity);
                Array.Resize(ref labels, capacity);
            }
            var x = readFeatures();
            if (NonFinite.First(x) is int j)
                throw MlxError.BadValue(MlxError.Where(featureColumnName, j, row: row), x[j], "resampling needs finite features (distances and copies of rows)", "Impute or drop missing values first (ReplaceMissingValues or FilterRowsByMissingValues).");
            x.CopyTo(features.AsSpan(row * d, d));
            codes[row] = classOf(row);
            readLabel(ref labels[row]);
            row++;
        }
        if (row == 0)
            throw MlxError.CannotFit("the data", "it has no rows", "Resample the training data, after any filters.");
        if (label.ClassCount < 2)
            throw MlxError.CannotFit(labelColumnName, $"it has a single class ({label.Classes[0]})", "Resampling balances classes: give data with at least two classes.");
        if (row != capacity)
        {
            Array.Resize(ref features, row * d);
            Array.Resize(ref codes, row);
            Array.Resize(ref labels, row);
        }
        var rank = label.ClassOf();
        for (int i = 0; i < row; i++)
            codes[i] = rank[codes[i]];
        return new LabeledRows<TLabel>(features, d, codes, labels, label.Classes);
    }
}
