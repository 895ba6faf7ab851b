using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Data;

/// <summary>
/// A label read as a number: Single, Double, Int32, Int64 and UInt32 as they are, Boolean as 0/1, a key as
/// its zero-based index. A missing label (NaN, key 0) throws naming the row.
/// </summary>
public sealed class NumericLabelColumn
{
    private NumericLabelColumn(string name, int index, DataViewType type)
    {
        Name = name;
        Index = index;
        Type = type;
    }

    /// <summary>The label column's name.</summary>
    public string Name { get; }

    /// <summary>The label column's index in the schema it was resolved from.</summary>
    public int Index { get; }

    /// <summary>The label column's type.</summary>
    public DataViewType Type { get; }

    /// <summary>True for Single/Double labels (continuous targets), false for Boolean, key and integer labels.</summary>
    public bool IsContinuous => Type == NumberDataViewType.Single || Type == NumberDataViewType.Double;

    /// <summary>Finds and checks the label column.</summary>
    public static NumericLabelColumn Resolve(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw MlxError.MissingColumn(name, schema.Where(c => !c.IsHidden).Select(c => c.Name), "labelColumnName");
        var t = column.Type;
        bool ok = t == NumberDataViewType.Single || t == NumberDataViewType.Double || t == NumberDataViewType.Int32 ||
                  t == NumberDataViewType.Int64 || t == NumberDataViewType.UInt32 || t == BooleanDataViewType.Instance || t is KeyDataViewType;
        if (!ok)
        {
            throw MlxError.WrongColumnType(name, "a numeric, Boolean or key label", $"{t}",
                t is TextDataViewType ? "Map text labels to keys first (mlContext.Transforms.Conversion.MapValueToKey)." : "Use a scalar numeric label.");
        }
        return new NumericLabelColumn(name, column.Index, t);
    }

    /// <summary>A getter of the current row's label; a missing label throws naming the row.</summary>
    internal Func<long, double> MakeGetter(DataViewRow row)
    {
        var column = row.Schema[Index];
        Func<double> read;
        switch (Type)
        {
            case KeyDataViewType:
            {
                var g = row.GetGetter<uint>(column);
                uint v = 0;
                read = () => { g(ref v); return v == 0 ? double.NaN : v - 1.0; };
                break;
            }
            default:
                read = LabelReaders.Number(row, column);
                break;
        }
        return position =>
        {
            double value = read();
            if (!double.IsFinite(value))
            {
                throw MlxError.CannotFit(MlxError.Where(Name, row: position), double.IsNaN(value) ? "the label is missing" : "the label is infinite",
                    "Filter out rows without a valid label (e.g. mlContext.Data.FilterRowsByMissingValues) before fitting.");
            }
            return value;
        };
    }
}
