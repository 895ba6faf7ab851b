using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Mlx.FeatureEngineering;

[assembly: LoadableClass(typeof(DatePartsTransformer), null, typeof(SignatureLoadModel),
    DatePartsTransformer.UserName, DatePartsTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(DatePartsTransformer), null, typeof(SignatureLoadRowMapper),
    DatePartsTransformer.UserName, DatePartsTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(DatePartsTransformer), null, typeof(SignatureLoadDataTransform),
    DatePartsTransformer.UserName, DatePartsTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// The calendar parts of a date/time column as numbers a model can read (pandas' <c>dt.year</c>, <c>dt.month</c>, …):
/// a vector of <see cref="PartNames"/> Single slots — year, month (1–12), day of the month, day of the week
/// (0 = Monday, as pandas), day of the year, hour of the day (with minutes and seconds as a fraction) and whether it
/// is a Saturday or Sunday (0/1). Text is parsed with the invariant culture (ISO 8601 and the usual forms); a missing
/// or unparsable value gives NaN in every slot. Nothing is learnt: fitting only checks the column.
/// </summary>
public sealed class DatePartsTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "MlxDatePartsTransform";
    internal const string UserName = "Mlx Date Parts Transform";

    /// <summary>The output slots, in order.</summary>
    public static readonly IReadOnlyList<string> PartNames = ["year", "month", "day", "weekday", "yearday", "hour", "weekend"];

    internal DatePartsTransformer(IHostEnvironment env, string outputColumnName, string inputColumnName)
        : base(env.Register(nameof(DatePartsTransformer)), (outputColumnName, inputColumnName))
    {
    }

    private DatePartsTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx)
    {
        // *** Binary format ***
        // sealed state (a copy of the column pair: the parts are fixed); <column pair>
        state.CheckColumns(ColumnPairs);
    }

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXDATEP",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(DatePartsTransformer).Assembly.FullName);

    /// <summary>Saves the transformer in ML.NET's model format.</summary>
    public override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SavedState.Save(ctx, writer => SavedState.WriteColumns(writer, ColumnPairs));
        SaveColumns(ctx);
    }

    /// <summary>Validates the input column: text, DateTime or DateTimeOffset.</summary>
    public override void CheckInputColumn(DataViewSchema inputSchema, int col, int srcCol) => Check(inputSchema[srcCol]);

    internal static void Check(DataViewSchema.Column column)
    {
        if (column.Type is not (TextDataViewType or DateTimeDataViewType or DateTimeOffsetDataViewType))
            throw MlxError.WrongColumnType(column.Name, "text, DateTime or DateTimeOffset", $"{column.Type}", "Pass the column holding the dates (text is parsed with the invariant culture).");
    }

    /// <summary>The parts of one date/time, or NaN in every slot (null).</summary>
    internal static void Write(DateTime? value, Span<float> parts)
    {
        if (value is not { } t)
        {
            parts.Fill(float.NaN);
            return;
        }
        int weekday = ((int)t.DayOfWeek + 6) % 7;
        parts[0] = t.Year;
        parts[1] = t.Month;
        parts[2] = t.Day;
        parts[3] = weekday;
        parts[4] = t.DayOfYear;
        parts[5] = (float)t.TimeOfDay.TotalHours;
        parts[6] = weekday >= 5 ? 1 : 0;
    }

    /// <summary>
    /// A date/time in text (invariant culture, surrounding white space allowed), or null: the one parser of the
    /// transform and of the workflow's timestamp detection and time order, so that what is found to be a date is read
    /// as one.
    /// </summary>
    internal static DateTime? Parse(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim();
        return !trimmed.IsEmpty && DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var t) ? t : null;
    }

    /// <summary>Creates the lazy row mapper.</summary>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private sealed class Mapper : OneToOneMapperBase
    {
        private readonly DatePartsTransformer _parent;

        public Mapper(DatePartsTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), parent, inputSchema)
        {
            _parent = parent;
        }

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
        [
            new DataViewSchema.DetachedColumn(_parent.ColumnPairs[0].outputColumnName, new VectorDataViewType(NumberDataViewType.Single, PartNames.Count),
                SlotNames.Annotations(PartNames.Select(p => $"{_parent.ColumnPairs[0].inputColumnName}.{p}").ToArray())),
        ];

        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var column = input.Schema[ColMapNewToOld[iinfo]];
            Func<DateTime?> read;
            switch (column.Type)
            {
                case TextDataViewType:
                {
                    var get = input.GetGetter<ReadOnlyMemory<char>>(column);
                    ReadOnlyMemory<char> text = default;
                    read = () => { get(ref text); return Parse(text.Span); };
                    break;
                }
                case DateTimeDataViewType:
                {
                    var get = input.GetGetter<DateTime>(column);
                    DateTime value = default;
                    read = () => { get(ref value); return value; };
                    break;
                }
                default:
                {
                    var get = input.GetGetter<DateTimeOffset>(column);
                    DateTimeOffset value = default;
                    read = () => { get(ref value); return value.DateTime; };
                    break;
                }
            }
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, PartNames.Count);
                Write(read(), editor.Values);
                value = editor.Commit();
            });
        }
    }

    private static DatePartsTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(DatePartsTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new DatePartsTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
