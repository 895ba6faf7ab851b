using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.FeatureEngineering.Encoding;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Fits a dummy coding: the categories of each slot (one cursor pass for text and numbers; none for keys,
/// whose type lists the categories) and the level to drop. Use
/// <see cref="DummyEncodingCatalog.DummyEncoding(TransformsCatalog.CategoricalTransforms, string, string?, DummyDrop, UnknownCategory)"/>.
/// </summary>
public sealed class DummyEncodingEstimator : IEstimator<DummyEncodingTransformer>
{
    private readonly IHost _host;
    private readonly DummyEncodingOptions _options;

    internal DummyEncodingEstimator(IHostEnvironment env, DummyEncodingOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName);
        if (!Enum.IsDefined(options.Drop) || !Enum.IsDefined(options.Unknown))
            throw new ArgumentOutOfRangeException(nameof(options), "Unknown DummyDrop or UnknownCategory value.");
        if (options.MinimumFrequency < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumFrequency, "MinimumFrequency is a count of rows: 1 groups no category, 5 groups the categories of fewer than 5 rows.");
        _host = env.Register(nameof(DummyEncodingEstimator));
        _options = options;
    }

    private string InputColumnName => _options.InputColumnName ?? _options.OutputColumnName;

    /// <summary>Learns the categories.</summary>
    public DummyEncodingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = CategoricalColumn.Resolve(input.Schema, InputColumnName);
        if (column.Kind == CategoryKind.Key && _options.MinimumFrequency > 1)
        {
            throw MlxError.WrongColumnType(column.Name, "text or numbers to group infrequent categories (MinimumFrequency)", "a key",
                "Map the keys back to their values first (MapKeyToValue), or leave MinimumFrequency at 1.");
        }
        var names = column.Kind switch
        {
            CategoryKind.Key => Enumerable.Repeat(KeyNames(input.Schema[column.Index], column.KeyCount), column.SlotCount)
                .Select(k => (k.Names, k.Numbers, Counts: new long[k.Names.Length])).ToArray(),
            _ => Collect(input, column),
        };
        var slots = new SlotCategories[column.SlotCount];
        for (int j = 0; j < slots.Length; j++)
        {
            var (categoryNames, numbers, counts) = names[j];
            if (categoryNames.Length == 0)
            {
                throw MlxError.CannotFit(MlxError.Where(column.Name, column.IsVector ? j : null),
                    "DummyEncoding found no category (no rows, or every value is missing)", "Fit on data with at least one non-missing value per slot.");
            }
            slots[j] = Group(column, j, categoryNames, numbers, counts);
        }
        using (var channel = _host.Start("DummyEncoding"))
        {
            var single = Enumerable.Range(0, slots.Length).Where(j => slots[j].Width == 0).ToArray();
            if (single.Length == slots.Length)
            {
                throw MlxError.CannotFit(MlxError.Where(column.Name, column.IsVector && slots.Length == 1 ? 0 : null),
                    $"every slot has a single category ('{names[single[0]].Names[0]}'{(slots.Length > 1 ? ", ..." : "")}) and it is the dropped reference level, so dummy coding yields no indicator at all",
                    "Drop the constant column instead of encoding it, or use DummyDrop.None (one indicator per category).");
            }
            foreach (int j in single)
                channel.Warning($"DummyEncoding: {MlxError.Where(column.Name, column.IsVector ? j : null)} has a single category ('{names[j].Names[0]}'), the dropped reference level: it contributes no indicator.");
            channel.Info($"DummyEncoding: {column.SlotCount} slot(s), {slots.Sum(s => s.Width)} indicators.");
        }
        return new DummyEncodingTransformer(_host, _options.OutputColumnName, column, slots, _options.Unknown);
    }

    /// <summary>The output is a known-size vector of Single with slot names.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CategoricalColumn.ResolveShape(inputSchema, InputColumnName);
        var result = inputSchema.ToDictionary(c => c.Name);
        result[_options.OutputColumnName] = new SchemaShape.Column(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector,
            NumberDataViewType.Single, false,
            new SchemaShape(new[] { new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false) }));
        return new SchemaShape(result.Values);
    }

    /// <summary>
    /// The slot's categories with those of fewer than <see cref="DummyEncodingOptions.MinimumFrequency"/> rows grouped
    /// into a last, infrequent category (scikit-learn's order: the frequent ones sorted, then the infrequent one).
    /// </summary>
    private SlotCategories Group(CategoricalColumn column, int slot, string[] names, double[]? numbers, long[] counts)
    {
        int minimum = _options.MinimumFrequency;
        var frequent = Enumerable.Range(0, names.Length).Where(i => column.Kind == CategoryKind.Key || counts[i] >= minimum).ToArray();
        if (frequent.Length == names.Length)
            return new SlotCategories(column.Kind, names, numbers, Dropped(column, slot, names));
        var rare = Enumerable.Range(0, names.Length).Except(frequent).ToArray();
        string[] grouped = [.. frequent.Select(i => names[i]), SlotCategories.InfrequentName];
        double[]? groupedNumbers = numbers is null ? null : [.. frequent.Select(i => numbers[i]), double.NaN];
        return new SlotCategories(column.Kind, grouped, groupedNumbers, Dropped(column, slot, grouped),
            rare.Select(i => names[i]).ToArray(), numbers is null ? null : rare.Select(i => numbers[i]).ToArray());
    }

    private int Dropped(CategoricalColumn column, int slot, string[] names)
    {
        if (_options.ReferenceLevel is string reference)
        {
            int index = Array.IndexOf(names, reference);
            if (index < 0)
            {
                throw MlxError.CannotFit(MlxError.Where(column.Name, column.IsVector ? slot : null),
                    $"the reference level '{reference}' is not one of the categories ({string.Join(", ", names.Take(10).Select(n => $"'{n}'"))})",
                    "Pass a category that occurs in the data (numbers in invariant culture, e.g. '2').");
            }
            return index;
        }
        return _options.Drop switch
        {
            DummyDrop.First => 0,
            DummyDrop.IfBinary when names.Length == 2 => 0,
            _ => -1,
        };
    }

    private static (string[] Names, double[]? Numbers) KeyNames(DataViewSchema.Column column, int keyCount)
    {
        string[]? names = null;
        if (column.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues) is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.GetKeyValues(ref values);
            names = values.DenseValues().Select(v => v.ToString()).ToArray();
        }
        return (names is { } n && n.Length == keyCount ? n : Enumerable.Range(1, keyCount).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), null);
    }

    /// <summary>One pass: the distinct non-missing values of each slot, sorted (ordinal for text, numeric for numbers), with their row counts.</summary>
    private static (string[] Names, double[]? Numbers, long[] Counts)[] Collect(IDataView input, CategoricalColumn column)
    {
        var schemaColumn = input.Schema[column.Index];
        using var cursor = input.GetRowCursor(new[] { schemaColumn });
        int slots = column.SlotCount;
        if (column.Kind == CategoryKind.Text)
        {
            var counts = Enumerable.Range(0, slots).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
            var lookups = counts.Select(s => s.GetAlternateLookup<ReadOnlySpan<char>>()).ToArray();
            var read = DenseRowReader.Create<ReadOnlyMemory<char>>(cursor, schemaColumn, column.IsVector, slots);
            while (cursor.MoveNext())
            {
                var values = read();
                for (int j = 0; j < slots; j++)
                {
                    if (values[j].IsEmpty)
                        continue;
                    // Span lookup first: a seen category costs no string.
                    if (lookups[j].TryGetValue(values[j].Span, out long seen))
                        lookups[j][values[j].Span] = seen + 1;
                    else
                        lookups[j][values[j].Span] = 1;
                }
            }
            return counts.Select(s =>
            {
                var sorted = s.Keys.Order(StringComparer.Ordinal).ToArray();
                return (sorted, (double[]?)null, sorted.Select(k => s[k]).ToArray());
            }).ToArray();
        }
        var numberCounts = Enumerable.Range(0, slots).Select(_ => new Dictionary<double, long>()).ToArray();
        var readNumbers = CategoricalReaders.Numbers(cursor, schemaColumn, column.ItemType, column.IsVector, slots);
        while (cursor.MoveNext())
        {
            var values = readNumbers();
            for (int j = 0; j < slots; j++)
            {
                if (!double.IsNaN(values[j]))
                    numberCounts[j][values[j]] = numberCounts[j].GetValueOrDefault(values[j]) + 1;
            }
        }
        return numberCounts.Select(s =>
        {
            var sorted = s.Keys.Order().ToArray();
            return (sorted.Select(CategoricalColumn.NumberName).ToArray(), (double[]?)sorted, sorted.Select(k => s[k]).ToArray());
        }).ToArray();
    }
}
