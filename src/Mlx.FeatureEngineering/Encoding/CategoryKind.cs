using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering.Encoding;

/// <summary>The kinds of categorical input dummy coding reads, and how their values are ordered and named.</summary>
internal enum CategoryKind : byte
{
    /// <summary>Text: categories sorted ordinally (as Python sorts str), names as is; empty text is missing.</summary>
    Text = 0,

    /// <summary>Key: every key value in key order (the type's whole domain), named by its KeyValues; key 0 is missing.</summary>
    Key = 1,

    /// <summary>Number (Single, Double, Int32, Int64): sorted numerically, named in invariant culture; NaN is missing.</summary>
    Number = 2,
}

/// <summary>A validated categorical input column.</summary>
internal sealed record CategoricalColumn(string Name, int Index, CategoryKind Kind, DataViewType ItemType, bool IsVector, int SlotCount, int KeyCount, string[]? SlotNames)
{
    public string SlotLabel(int slot) => !IsVector ? Name : SlotNames?[slot] is { Length: > 0 } s ? s : $"{Name}[{slot}]";

    public static CategoricalColumn Resolve(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw MlxError.MissingColumn(name, schema.Where(c => !c.IsHidden).Select(c => c.Name));
        var type = column.Type;
        var item = type is VectorDataViewType v ? v.ItemType : type;
        if (type is VectorDataViewType { IsKnownSize: false })
            throw MlxError.WrongColumnType(name, "a scalar or known-size vector", $"{type}", "Give the vector a fixed size.");
        var kind = KindOf(item) ?? throw MlxError.WrongColumnType(name, "text, key, Single, Double, Int32 or Int64 (scalar or known-size vector)", $"{type}",
            "Convert the column (e.g. mlContext.Transforms.Conversion.ConvertType or MapValueToKey).");
        int slots = type is VectorDataViewType vec ? vec.Size : 1;
        int keyCount = item is KeyDataViewType key ? checked((int)key.Count) : 0;
        var slotNames = type is VectorDataViewType ? Mlx.Core.Data.SlotColumn.SlotNamesOf(column) : null;
        return new CategoricalColumn(name, column.Index, kind, item, type is VectorDataViewType, slots, keyCount, slotNames);
    }

    public static void ResolveShape(SchemaShape schema, string name)
    {
        if (!schema.TryFindColumn(name, out var column))
            throw MlxError.MissingColumn(name, schema.Select(c => c.Name));
        if (column.Kind == SchemaShape.Column.VectorKind.VariableVector || (KindOf(column.ItemType) is null && !column.IsKey))
        {
            throw MlxError.WrongColumnType(name, "text, key, Single, Double, Int32 or Int64 (scalar or known-size vector)",
                $"{column.Kind} of {column.ItemType}", "Convert the column (e.g. mlContext.Transforms.Conversion.ConvertType or MapValueToKey).");
        }
    }

    private static CategoryKind? KindOf(DataViewType item) => item switch
    {
        TextDataViewType => CategoryKind.Text,
        KeyDataViewType => CategoryKind.Key,
        _ when item == NumberDataViewType.Single || item == NumberDataViewType.Double ||
               item == NumberDataViewType.Int32 || item == NumberDataViewType.Int64 => CategoryKind.Number,
        _ => null,
    };

    /// <summary>Formats a number category as its name.</summary>
    public static string NumberName(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
