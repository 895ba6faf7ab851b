using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.Core.Transforms;

/// <summary>
/// Base of the saveable Mlx transformers that map one column of type <see cref="float"/> or
/// known-size vector of <see cref="float"/> to a column of the same shape, slot by slot, with
/// fitted per-slot parameters (power transforms, log/exp, ...). It provides the lazy row mapper,
/// the output schema (slot names kept), the model-file layout shared by all of them and
/// row/column context on errors; a derived class supplies the fitted state and the numerical map.
/// </summary>
/// <remarks>
/// Model layout: ML.NET's column pair, then <c>int</c> slot count, <c>byte</c> is-vector, then the
/// derived class's state (<see cref="SaveState"/>).
/// </remarks>
public abstract class SlotwiseTransformerBase : OneToOneTransformerBase
{
    private protected SlotwiseTransformerBase(IHost host, string outputColumnName, SlotColumn input)
        : base(host, (outputColumnName, input.Name))
    {
        IsVector = input.IsVector;
        SlotCount = input.SlotCount;
    }

    private protected SlotwiseTransformerBase(IHost host, ModelLoadContext ctx)
        : base(host, ctx)
    {
        SlotCount = ctx.Reader.ReadInt32();
        Host.CheckDecode(SlotCount > 0);
        IsVector = ctx.Reader.ReadBoolByte();
        Host.CheckDecode(IsVector || SlotCount == 1);
    }

    /// <summary>The name of the column this transformer writes.</summary>
    public string OutputColumnName => ColumnPairs[0].outputColumnName;

    /// <summary>The name of the column this transformer reads.</summary>
    public string InputColumnName => ColumnPairs[0].inputColumnName;

    /// <summary>The number of slots of the input (and output) column; 1 for a scalar column.</summary>
    public int SlotCount { get; }

    /// <summary>True when the column is a vector, false when it is a scalar <see cref="float"/>.</summary>
    public bool IsVector { get; }

    /// <summary>The version stamp written into the model file (model signature, loader signature, assembly).</summary>
    private protected abstract VersionInfo ModelVersion { get; }

    /// <summary>Writes the fitted state after the shared header.</summary>
    private protected abstract void SaveState(BinaryWriter writer);

    /// <summary>
    /// Maps one row: <paramref name="source"/> and <paramref name="destination"/> have <see cref="SlotCount"/>
    /// values. Must be thread-safe (cursors run in parallel). Throws <see cref="SlotValueException"/> for a bad value.
    /// </summary>
    private protected abstract void MapSlots(ReadOnlySpan<float> source, Span<float> destination);

    /// <summary>Saves the transformer in ML.NET's model format (called by <c>mlContext.Model.Save</c>).</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(ModelVersion);
        SaveColumns(ctx);
        ctx.Writer.Write(SlotCount);
        ctx.Writer.WriteBoolByte(IsVector);
        SaveState(ctx.Writer);
    }

    /// <summary>Validates the input column of a schema being transformed.</summary>
    public override void CheckInputColumn(DataViewSchema inputSchema, int col, int srcCol)
    {
        var column = SlotColumn.Resolve(inputSchema, inputSchema[srcCol].Name);
        if (column.IsVector != IsVector || column.SlotCount != SlotCount)
        {
            var expected = IsVector ? $"Vector<Single, {SlotCount}>" : "Single";
            throw MlxError.WrongColumnType(column.Name, expected + " (the shape it was fitted on)", $"{inputSchema[srcCol].Type}",
                "Transform data with the same columns as the training data.");
        }
    }

    /// <summary>Creates the lazy row mapper.</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private void Map(ReadOnlySpan<float> source, Span<float> destination, long row)
    {
        try
        {
            MapSlots(source, destination);
        }
        catch (SlotValueException e)
        {
            var where = IsVector ? MlxError.Where(InputColumnName, e.Slot, row: row) : MlxError.Where(InputColumnName, row: row);
            throw MlxError.BadValue(where, e.Value, e.Problem, e.Fix);
        }
    }

    private sealed class Mapper : OneToOneMapperBase
    {
        private readonly SlotwiseTransformerBase _parent;

        public Mapper(SlotwiseTransformerBase parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), parent, inputSchema)
        {
            _parent = parent;
        }

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            var input = InputSchema[ColMapNewToOld[0]];
            var annotations = new DataViewSchema.Annotations.Builder();
            annotations.Add(input.Annotations, name => name == AnnotationUtils.Kinds.SlotNames);
            return new[] { new DataViewSchema.DetachedColumn(_parent.OutputColumnName, input.Type, annotations.ToAnnotations()) };
        }

        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var column = input.Schema[ColMapNewToOld[iinfo]];
            return _parent.IsVector ? MakeVectorGetter(input, column) : MakeScalarGetter(input, column);
        }

        private ValueGetter<float> MakeScalarGetter(DataViewRow input, DataViewSchema.Column column)
        {
            var getter = input.GetGetter<float>(column);
            float source = 0;
            return (ref float value) =>
            {
                getter(ref source);
                float result = 0;
                _parent.Map(new ReadOnlySpan<float>(in source), new Span<float>(ref result), input.Position);
                value = result;
            };
        }

        private ValueGetter<VBuffer<float>> MakeVectorGetter(DataViewRow input, DataViewSchema.Column column)
        {
            var getter = input.GetGetter<VBuffer<float>>(column);
            var source = default(VBuffer<float>);
            var dense = new float[_parent.SlotCount];
            return (ref VBuffer<float> value) =>
            {
                getter(ref source);
                ReadOnlySpan<float> values;
                if (source.IsDense)
                {
                    values = source.GetValues();
                }
                else
                {
                    source.CopyTo(dense);
                    values = dense;
                }
                var editor = VBufferEditor.Create(ref value, _parent.SlotCount);
                _parent.Map(values, editor.Values, input.Position);
                value = editor.Commit();
            };
        }
    }
}
