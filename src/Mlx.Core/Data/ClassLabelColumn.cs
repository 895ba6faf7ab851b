using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Data;

/// <summary>
/// A class-label column of type key, text, Boolean or number, read as class codes. Classes are ordered
/// as scikit-learn's <c>classes_</c> (<c>np.unique</c>): key order for keys, ordinal string order for text,
/// numeric order for numbers, false before true. Codes are handed out in order of first appearance while
/// reading (one pass) and put in class order with <see cref="Classes"/>/<see cref="ClassOf"/> afterwards.
/// </summary>
public sealed class ClassLabelColumn
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();
    private readonly List<double> _sortKeys = new();
    private int[]? _order;

    private ClassLabelColumn(string name, int index, DataViewType type, string role)
    {
        Name = name;
        Index = index;
        Type = type;
        _role = role;
    }

    // What the column's values are, for messages ("label", "group id", "fold number").
    private readonly string _role;

    /// <summary>The label column's name.</summary>
    public string Name { get; }

    /// <summary>The label column's index in the schema it was resolved from.</summary>
    public int Index { get; }

    /// <summary>The label column's type.</summary>
    public DataViewType Type { get; }

    /// <summary>Finds and checks a column of classes: a label, or group ids and fold numbers read the same way.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="name">The column.</param>
    /// <param name="argument">The parameter that named it (what a missing column's message tells to check).</param>
    /// <param name="role">What its values are, for messages ("label", "group id", "fold number").</param>
    public static ClassLabelColumn Resolve(DataViewSchema schema, string name, string argument = "labelColumnName", string role = "label")
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw MlxError.MissingColumn(name, schema.Where(c => !c.IsHidden).Select(c => c.Name), argument);
        var type = column.Type;
        bool ok = type is KeyDataViewType || type is TextDataViewType || type == BooleanDataViewType.Instance ||
                  type == NumberDataViewType.Single || type == NumberDataViewType.Double || type == NumberDataViewType.Int32 ||
                  type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32;
        if (!ok)
            throw MlxError.WrongColumnType(name, "a scalar key, text, Boolean or numeric label", $"{type}", "Use a scalar label column (e.g. mlContext.Transforms.Conversion.MapValueToKey).");
        return new ClassLabelColumn(name, column.Index, type, role);
    }

    /// <summary>Checks the label column at pipeline-construction time.</summary>
    public static void ResolveShape(SchemaShape schema, string name)
    {
        if (!schema.TryFindColumn(name, out var column))
            throw MlxError.MissingColumn(name, schema.Select(c => c.Name), "labelColumnName");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw MlxError.WrongColumnType(name, "a scalar label", $"{column.Kind} of {column.ItemType}", "Use a scalar label column.");
    }

    /// <summary>
    /// A getter returning the current row's first-appearance class code; a missing label throws naming the row.
    /// Allocation-free per row: keys index an array, numbers a double-keyed map, text a span-keyed map.
    /// </summary>
    internal Func<long, int> MakeGetter(DataViewRow row)
    {
        var column = row.Schema[Index];
        switch (Type)
        {
            case KeyDataViewType key:
            {
                var getter = row.GetGetter<uint>(column);
                var names = KeyNames(column);
                var codeOfKey = new int[checked((int)key.Count) + 1];
                Array.Fill(codeOfKey, -1);
                uint value = 0;
                return position =>
                {
                    getter(ref value);
                    if (value == 0)
                        throw Missing(position);
                    int code = codeOfKey[value];
                    if (code < 0)
                        code = codeOfKey[value] = Code(names is null ? value.ToString(CultureInfo.InvariantCulture) : names[(int)value - 1], value);
                    return code;
                };
            }
            case TextDataViewType:
            {
                var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
                var lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
                ReadOnlyMemory<char> text = default;
                return position =>
                {
                    getter(ref text);
                    if (text.IsEmpty)
                        throw Missing(position);
                    return lookup.TryGetValue(text.Span, out int code) ? code : Code(text.ToString(), double.NaN);
                };
            }
            default:
            {
                var read = LabelReaders.Number(row, column);
                var codeOfNumber = new Dictionary<double, int>();
                return position =>
                {
                    double v = read();
                    if (double.IsNaN(v))
                        throw Missing(position);
                    if (!codeOfNumber.TryGetValue(v, out int code))
                    {
                        string name = Type == BooleanDataViewType.Instance ? (v != 0 ? "True" : "False") : v.ToString("R", CultureInfo.InvariantCulture);
                        codeOfNumber[v] = code = Code(name, v);
                    }
                    return code;
                };
            }
        }
    }


    /// <summary>The number of distinct classes seen so far.</summary>
    public int ClassCount => _names.Count;

    /// <summary>The class names in class order (sorted as scikit-learn's <c>classes_</c>).</summary>
    public IReadOnlyList<string> Classes => Order().Select(i => _names[i]).ToArray();

    /// <summary>Maps a first-appearance code to its index in <see cref="Classes"/>.</summary>
    public int[] ClassOf()
    {
        var order = Order();
        var rank = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
            rank[order[i]] = i;
        return rank;
    }

    private int[] Order()
    {
        if (_order != null && _order.Length == _names.Count)
            return _order;
        var indices = Enumerable.Range(0, _names.Count);
        _order = (Type is TextDataViewType
            ? indices.OrderBy(i => _names[i], StringComparer.Ordinal)
            : indices.OrderBy(i => _sortKeys[i])).ToArray();
        return _order;
    }

    private int Code(string name, double sortKey)
    {
        if (_codes.TryGetValue(name, out int code))
            return code;
        code = _names.Count;
        _codes[name] = code;
        _names.Add(name);
        _sortKeys.Add(sortKey);
        return code;
    }

    private InvalidOperationException Missing(long row) =>
        MlxError.CannotFit(MlxError.Where(Name, row: row), $"the {_role} is missing",
            $"Filter out rows without a {_role} (e.g. mlContext.Data.FilterRowsByMissingValues) before fitting.");

    private static string[]? KeyNames(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues) is not { Type: VectorDataViewType { ItemType: TextDataViewType } })
            return null;
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }
}
