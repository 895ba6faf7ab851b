using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.TestSupport;

/// <summary>A row with one known-size float vector column (size set at run time through a schema definition).</summary>
public sealed class VectorRow
{
    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];
}

/// <summary>A row with one float column.</summary>
public sealed class ScalarRow
{
    /// <summary>The value.</summary>
    public float Value { get; set; }
}

/// <summary>Builds data views for tests and reads columns back.</summary>
public static class DataViews
{
    /// <summary>A data view with a "Features" column of Vector&lt;Single, d&gt;, with slot names when given.</summary>
    public static IDataView FromRows(MLContext ml, IReadOnlyList<double[]> rows, IReadOnlyList<string>? slotNames = null, int? width = null)
    {
        int d = width ?? rows[0].Length;
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        if (slotNames != null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(d, slotNames.Select(n => n.AsMemory()).ToArray());
            definition["Features"].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, d));
        }
        var data = rows.Select(r => new VectorRow { Features = r.Select(v => (float)v).ToArray() }).ToList();
        return ml.Data.LoadFromEnumerable(data, definition);
    }

    /// <summary>A data view with one Single column named "Value".</summary>
    public static IDataView FromValues(MLContext ml, IEnumerable<double> values) =>
        ml.Data.LoadFromEnumerable(values.Select(v => new ScalarRow { Value = (float)v }).ToList());

    /// <summary>Reads a vector column into rows.</summary>
    public static float[][] ReadVectors(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    /// <summary>Reads a Single column.</summary>
    public static float[] ReadScalars(IDataView data, string column) => data.GetColumn<float>(column).ToArray();

    /// <summary>The slot names of a vector column, or null.</summary>
    public static string[]? SlotNames(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}

/// <summary>A row with a feature vector and a text label.</summary>
public sealed class TextLabeledRow
{
    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The label.</summary>
    public string Label { get; set; } = "";
}

/// <summary>A row with a feature vector and a numeric label.</summary>
public sealed class NumericLabeledRow
{
    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The label.</summary>
    public float Label { get; set; }
}

/// <summary>Builders for labelled data views.</summary>
public static class LabeledDataViews
{
    /// <summary>Features (Vector&lt;Single, d&gt;) with a text label column "Label".</summary>
    public static IDataView WithTextLabels(MLContext ml, IReadOnlyList<double[]> rows, IReadOnlyList<string> labels) =>
        ml.Data.LoadFromEnumerable(rows.Select((r, i) => new TextLabeledRow { Features = r.Select(v => (float)v).ToArray(), Label = labels[i] }).ToList(),
            Definition<TextLabeledRow>(rows[0].Length));

    /// <summary>Features (Vector&lt;Single, d&gt;) with a Single label column "Label".</summary>
    public static IDataView WithNumericLabels(MLContext ml, IReadOnlyList<double[]> rows, IReadOnlyList<double> labels) =>
        ml.Data.LoadFromEnumerable(rows.Select((r, i) => new NumericLabeledRow { Features = r.Select(v => (float)v).ToArray(), Label = (float)labels[i] }).ToList(),
            Definition<NumericLabeledRow>(rows[0].Length));

    private static SchemaDefinition Definition<T>(int d)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return definition;
    }
}
