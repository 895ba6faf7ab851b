using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Data;

/// <summary>
/// A validated input column of type <see cref="float"/> or known-size vector of <see cref="float"/>,
/// seen as a list of slots (a scalar column has one slot).
/// </summary>
public sealed class SlotColumn
{
    private readonly string[]? _slotNames;

    private SlotColumn(string name, int index, bool isVector, int slotCount, string[]? slotNames)
    {
        Name = name;
        Index = index;
        IsVector = isVector;
        SlotCount = slotCount;
        _slotNames = slotNames;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The column index in the schema it was resolved from.</summary>
    public int Index { get; }

    /// <summary>True for a vector column, false for a scalar <see cref="float"/> column.</summary>
    public bool IsVector { get; }

    /// <summary>Number of slots (1 for a scalar column).</summary>
    public int SlotCount { get; }

    /// <summary>The slot names, when the column has them.</summary>
    public IReadOnlyList<string>? SlotNames => _slotNames;

    /// <summary>The name of a slot, or null when the column has no slot names.</summary>
    public string? SlotName(int slot) => _slotNames is { } names && slot < names.Length && names[slot].Length > 0 ? names[slot] : null;

    /// <summary>Where a slot is, for messages.</summary>
    public string Where(int slot, long? row = null) =>
        IsVector ? MlxError.Where(Name, slot, SlotName(slot), row) : MlxError.Where(Name, row: row);

    /// <summary>The column's data view type.</summary>
    public DataViewType Type => IsVector ? new VectorDataViewType(NumberDataViewType.Single, SlotCount) : NumberDataViewType.Single;

    /// <summary>
    /// Finds <paramref name="name"/> in <paramref name="schema"/> and checks that it is a Single or a
    /// known-size vector of Single; throws a message naming the column and the fix otherwise.
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <param name="name">The column.</param>
    /// <param name="argument">The parameter or option that named it (what a missing column's message tells to check).</param>
    public static SlotColumn Resolve(DataViewSchema schema, string name, string argument = "inputColumnName")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(name)
            ?? throw MlxError.MissingColumn(name, schema.Where(c => !c.IsHidden).Select(c => c.Name), argument);
        var type = column.Type;
        if (type == NumberDataViewType.Single)
            return new SlotColumn(name, column.Index, false, 1, null);
        if (type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single && vector.IsKnownSize)
            return new SlotColumn(name, column.Index, true, vector.Size, SlotNamesOf(column));
        throw MlxError.WrongColumnType(name, "Single or a known-size vector of Single", $"{type}", FixFor(type));
    }

    /// <summary>Checks a column shape at pipeline-construction time (<see cref="IEstimator{T}.GetOutputSchema"/>).</summary>
    public static SchemaShape.Column ResolveShape(SchemaShape schema, string name)
    {
        if (!schema.TryFindColumn(name, out var column))
            throw MlxError.MissingColumn(name, schema.Select(c => c.Name));
        bool ok = column.ItemType == NumberDataViewType.Single &&
                  (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.Kind == SchemaShape.Column.VectorKind.Vector);
        if (!ok)
        {
            var actual = column.Kind == SchemaShape.Column.VectorKind.Scalar ? $"{column.ItemType}"
                : $"{column.Kind} of {column.ItemType}";
            throw MlxError.WrongColumnType(name, "Single or a known-size vector of Single", actual, FixFor(column.ItemType));
        }
        return column;
    }

    private static string FixFor(DataViewType type)
    {
        if (type is VectorDataViewType v)
            return v.IsKnownSize ? FixFor(v.ItemType) : "The vector has an unknown size: give it a fixed size (e.g. load it with a known-size column in TextLoader, or use Concatenate of scalar columns).";
        return type is TextDataViewType
            ? "Convert text to numbers first (e.g. mlContext.Transforms.Conversion.ConvertType, or load the column as Single)."
            : "Convert it with mlContext.Transforms.Conversion.ConvertType(outputColumnName, inputColumnName, DataKind.Single).";
    }

    /// <summary>The slot names of a known-size vector column, or null when it has none.</summary>
    public static string[]? SlotNamesOf(DataViewSchema.Column column)
    {
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vectorType)
            return null;
        int size = vectorType.Size;
        if (column.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.SlotNames) is not { } slotNames)
            return null;
        if (slotNames.Type is not VectorDataViewType { ItemType: TextDataViewType } t || t.Size != size)
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue(AnnotationUtils.Kinds.SlotNames, ref names);
        return names.DenseValues().Select(v => v.ToString()).ToArray();
    }
}
