using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Mlx.FeatureEngineering;
using Mlx.FeatureEngineering.Encoding;

[assembly: LoadableClass(typeof(DummyEncodingTransformer), null, typeof(SignatureLoadModel),
    DummyEncodingTransformer.UserName, DummyEncodingTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(DummyEncodingTransformer), null, typeof(SignatureLoadRowMapper),
    DummyEncodingTransformer.UserName, DummyEncodingTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(DummyEncodingTransformer), null, typeof(SignatureLoadDataTransform),
    DummyEncodingTransformer.UserName, DummyEncodingTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted dummy coding (scikit-learn's <c>OneHotEncoder(drop=...)</c>): one Single indicator per kept category
/// of each slot, concatenated in slot order, as a sparse vector with slot names <c>column=value</c> (vector
/// input: <c>slot=value</c>). A missing value (empty text, key 0, NaN) writes zeros for its slot; an unseen
/// category throws or writes zeros, as fitted.
/// </summary>
public sealed class DummyEncodingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "MlxDummyEncoding";
    internal const string UserName = "Mlx Dummy Encoding";

    private readonly CategoryKind _kind;
    private readonly bool _isVector;
    private readonly string[] _slotLabels;
    private readonly SlotCategories[] _slots;
    private readonly int[] _offsets;

    internal DummyEncodingTransformer(IHostEnvironment env, string outputColumnName, CategoricalColumn input, SlotCategories[] slots, UnknownCategory unknown)
        : base(env.Register(nameof(DummyEncodingTransformer)), (outputColumnName, input.Name))
    {
        _kind = input.Kind;
        _isVector = input.IsVector;
        _slotLabels = Enumerable.Range(0, input.SlotCount).Select(input.SlotLabel).ToArray();
        _slots = slots;
        Unknown = unknown;
        _offsets = Offsets(slots);
    }

    private DummyEncodingTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx)
    {
        // *** Binary format ***
        // sealed state: a copy of the column pair; byte: kind; byte: is vector; byte: unknown; int: slots; per slot:
        // label, categories. Then <column pair>. Before 0x00010003: <column pair>, then the same fields unsealed
        // (from 0x00010002 each slot's categories end with its grouped infrequent levels).
        state.CheckColumns(ColumnPairs);
        var reader = state.Reader;
        _kind = (CategoryKind)reader.ReadByte();
        _isVector = reader.ReadBoolean();
        Unknown = (UnknownCategory)reader.ReadByte();
        if (!Enum.IsDefined(_kind) || !Enum.IsDefined(Unknown))
            throw MlxError.DamagedModel(LoaderSignature, "its options", $"category kind {(int)_kind} or unknown-category rule {(int)Unknown} is not one Mlx writes");
        int count = state.ReadCount("slots", sizeof(int));
        if (count == 0 || (!_isVector && count != 1))
            throw MlxError.DamagedModel(LoaderSignature, "slots", $"{count} slots for a {(_isVector ? "vector" : "scalar")} column");
        _slotLabels = new string[count];
        _slots = new SlotCategories[count];
        for (int j = 0; j < count; j++)
        {
            _slotLabels[j] = reader.ReadString();
            _slots[j] = SlotCategories.Load(state, _kind, withInfrequent: ctx.Header.ModelVerWritten >= 0x00010002);
        }
        _offsets = Offsets(_slots);
    }

    /// <summary>What unseen categories do.</summary>
    public UnknownCategory Unknown { get; }

    /// <summary>The categories of each input slot, in indicator order (sorted; key order for keys).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Categories => _slots.Select(s => (IReadOnlyList<string>)s.Names).ToArray();

    /// <summary>The levels of each slot grouped into its infrequent category (<see cref="DummyEncodingOptions.MinimumFrequency"/>); empty where none is.</summary>
    public IReadOnlyList<IReadOnlyList<string>> InfrequentCategories => _slots.Select(s => (IReadOnlyList<string>)s.Infrequent).ToArray();

    /// <summary>The dropped (reference) category of each slot, or null where none is dropped.</summary>
    public IReadOnlyList<string?> DroppedCategories => _slots.Select(s => s.DroppedName).ToArray();

    /// <summary>The names of the output indicators (<c>column=value</c>), as scikit-learn's <c>get_feature_names_out</c> with '=' for '_'.</summary>
    public IReadOnlyList<string> OutputSlotNames =>
        _slots.SelectMany((s, j) => s.Names.Where((_, c) => c != s.Dropped).Select(n => $"{_slotLabels[j]}={n}")).ToArray();

    /// <summary>The number of indicators written.</summary>
    public int OutputSize => _offsets[^1];

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010003;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXDUMMY",
        verWrittenCur: 0x00010003, // 0x00010002: grouped infrequent categories; 0x00010003: sealed state
        verReadableCur: 0x00010003,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(DummyEncodingTransformer).Assembly.FullName);

    /// <summary>Saves the transformer in ML.NET's model format.</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SavedState.Save(ctx, writer =>
        {
            SavedState.WriteColumns(writer, ColumnPairs);
            writer.Write((byte)_kind);
            writer.Write(_isVector);
            writer.Write((byte)Unknown);
            writer.Write(_slots.Length);
            for (int j = 0; j < _slots.Length; j++)
            {
                writer.Write(_slotLabels[j]);
                _slots[j].Save(writer);
            }
        });
        SaveColumns(ctx);
    }

    /// <summary>Validates the input column of a schema being transformed.</summary>
    public override void CheckInputColumn(DataViewSchema inputSchema, int col, int srcCol)
    {
        var column = CategoricalColumn.Resolve(inputSchema, inputSchema[srcCol].Name);
        if (column.Kind != _kind || column.IsVector != _isVector || column.SlotCount != _slots.Length)
        {
            throw MlxError.WrongColumnType(column.Name, $"{_kind}{(_isVector ? $" vector of {_slots.Length}" : "")} (the shape it was fitted on)",
                $"{inputSchema[srcCol].Type}", "Transform data with the same columns as the training data.");
        }
    }

    /// <summary>Creates the lazy row mapper.</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private static int[] Offsets(SlotCategories[] slots)
    {
        var offsets = new int[slots.Length + 1];
        for (int j = 0; j < slots.Length; j++)
            offsets[j + 1] = offsets[j] + slots[j].Width;
        return offsets;
    }

    private Exception UnknownValue(int slot, string value, long position) =>
        MlxError.BadText(MlxError.Where(InputColumnName, _isVector ? slot : null, cursorPosition: position), value,
            $"the category was not seen when fitting (known: {string.Join(", ", _slots[slot].Names.Take(10).Select(n => $"'{n}'"))}{(_slots[slot].Names.Length > 10 ? ", ..." : "")})",
            "Fit with unknown: UnknownCategory.AllZeros to encode unseen categories as all zeros, or refit on data that contains it.");

    private string InputColumnName => ColumnPairs[0].inputColumnName;

    private sealed class Mapper : OneToOneMapperBase
    {
        private readonly DummyEncodingTransformer _parent;

        public Mapper(DummyEncodingTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), parent, inputSchema)
        {
            _parent = parent;
        }

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            return new[]
            {
                new DataViewSchema.DetachedColumn(_parent.ColumnPairs[0].outputColumnName,
                    new VectorDataViewType(NumberDataViewType.Single, _parent.OutputSize), SlotNames.Annotations(_parent.OutputSlotNames)),
            };
        }

        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var column = input.Schema[ColMapNewToOld[iinfo]];
            var p = _parent;
            int slots = p._slots.Length;
            var codes = new int[slots];
            Action fill;
            Func<int, string> describe;
            switch (p._kind)
            {
                case CategoryKind.Text:
                {
                    var read = DenseRowReader.Create<ReadOnlyMemory<char>>(input, column, p._isVector, slots);
                    var lastValues = new ReadOnlyMemory<char>[slots];
                    fill = () =>
                    {
                        var values = read();
                        values.CopyTo(lastValues);
                        for (int j = 0; j < slots; j++)
                            codes[j] = values[j].IsEmpty ? Missing : p._slots[j].IndexOf(values[j].Span);
                    };
                    describe = j => lastValues[j].ToString();
                    break;
                }
                case CategoryKind.Key:
                {
                    var read = DenseRowReader.Create<uint>(input, column, p._isVector, slots);
                    fill = () =>
                    {
                        var values = read();
                        for (int j = 0; j < slots; j++)
                            codes[j] = values[j] == 0 ? Missing : (int)values[j] - 1;
                    };
                    describe = _ => "";
                    break;
                }
                default:
                {
                    var read = CategoricalReaders.Numbers(input, column, column.Type is VectorDataViewType v ? v.ItemType : column.Type, p._isVector, slots);
                    var lastValues = new double[slots];
                    fill = () =>
                    {
                        var values = read();
                        values.CopyTo(lastValues);
                        for (int j = 0; j < slots; j++)
                            codes[j] = double.IsNaN(values[j]) ? Missing : p._slots[j].IndexOf(values[j]);
                    };
                    describe = j => CategoricalColumn.NumberName(lastValues[j]);
                    break;
                }
            }

            int size = p.OutputSize;
            var positions = new int[slots];
            // At most one indicator per slot: sparse, unless the vector is no wider than the slot count.
            bool dense = size <= slots;
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                fill();
                int count = 0;
                for (int j = 0; j < slots; j++)
                {
                    int code = codes[j];
                    if (code == Missing)
                        continue;
                    if (code == SlotCategories.Unknown)
                    {
                        if (p.Unknown == UnknownCategory.Error)
                            throw p.UnknownValue(j, describe(j), input.Position);
                        if (p.Unknown != UnknownCategory.Infrequent || p._slots[j].InfrequentIndex < 0)
                            continue;
                        code = p._slots[j].InfrequentIndex;
                    }
                    int position = p._slots[j].PositionOf(code);
                    if (position >= 0)
                        positions[count++] = p._offsets[j] + position;
                }
                if (dense)
                {
                    var editor = VBufferEditor.Create(ref value, size);
                    editor.Values.Clear();
                    for (int i = 0; i < count; i++)
                        editor.Values[positions[i]] = 1f;
                    value = editor.Commit();
                }
                else
                {
                    var editor = VBufferEditor.Create(ref value, size, count);
                    for (int i = 0; i < count; i++)
                    {
                        editor.Indices[i] = positions[i];
                        editor.Values[i] = 1f;
                    }
                    value = editor.Commit();
                }
            });
        }

        private const int Missing = -2;
    }

    private static DummyEncodingTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(DummyEncodingTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new DummyEncodingTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
