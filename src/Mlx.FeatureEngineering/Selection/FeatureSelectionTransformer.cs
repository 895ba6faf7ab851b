using Microsoft.ML;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering;

[assembly: LoadableClass(typeof(FeatureSelectionTransformer), null, typeof(SignatureLoadModel),
    FeatureSelectionTransformer.UserName, FeatureSelectionTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(FeatureSelectionTransformer), null, typeof(SignatureLoadRowMapper),
    FeatureSelectionTransformer.UserName, FeatureSelectionTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(FeatureSelectionTransformer), null, typeof(SignatureLoadDataTransform),
    FeatureSelectionTransformer.UserName, FeatureSelectionTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted feature selection: keeps the selected slots of a vector (in their original order, with their
/// slot names) and exposes why — every slot's score, p-value (where defined), rank and, for model-based
/// selection, coefficient. Created by every Mlx selector (filter scores, Lasso, Ridge, tree importance).
/// </summary>
public sealed class FeatureSelectionTransformer : NumericColumnTransformerBase
{
    internal const string LoaderSignature = "MlxFeatureSelection";
    internal const string UserName = "Mlx Feature Selection";

    private readonly double[] _scores;
    private readonly double[]? _pValues, _coefficients;
    private readonly int[] _selected;
    private readonly string[] _slotNames;

    internal FeatureSelectionTransformer(IHostEnvironment env, string outputColumnName, SlotColumn input, string method,
        double[] scores, double[]? pValues, double[]? coefficients, double? intercept, int[] selected)
        : base(env.Register(nameof(FeatureSelectionTransformer)), outputColumnName, input)
    {
        Method = method;
        _scores = scores;
        _pValues = pValues;
        _coefficients = coefficients;
        Intercept = intercept;
        _selected = selected;
        _slotNames = Enumerable.Range(0, input.SlotCount).Select(j => input.SlotName(j) ?? $"{input.Name}[{j}]").ToArray();
    }

    private FeatureSelectionTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx, state)
    {
        // *** Binary format (after the shared header) ***
        // string: method; per slot: name, score; byte+doubles: p-values; byte+doubles: coefficients; byte+double: intercept;
        // int + int[]: selected slots
        Method = state.Reader.ReadString();
        state.CheckCount(SlotCount, "slot names and scores", sizeof(double) + 1);
        _slotNames = new string[SlotCount];
        _scores = new double[SlotCount];
        for (int j = 0; j < SlotCount; j++)
        {
            _slotNames[j] = state.Reader.ReadString();
            _scores[j] = state.Reader.ReadDouble();
        }
        _pValues = ReadOptional(state, SlotCount, "p-values");
        _coefficients = ReadOptional(state, SlotCount, "coefficients");
        Intercept = state.Reader.ReadBoolean() ? state.Reader.ReadDouble() : null;
        _selected = state.ReadInts(state.ReadCount("selected slots", sizeof(int)), "selected slots");
        if (_selected.Length == 0 || _selected.Length > SlotCount || !_selected.All(j => j >= 0 && j < SlotCount))
            throw MlxError.DamagedModel(LoaderSignature, "selected slots", $"{_selected.Length} slots, not between 1 and {SlotCount} slots of the input");
    }

    /// <summary>How slots were scored (e.g. "ChiSquare", "Lasso(alpha=0.1)").</summary>
    public string Method { get; }

    /// <summary>Every input slot's score (higher is better; NaN where undefined, e.g. a constant slot).</summary>
    public IReadOnlyList<double> Scores => _scores;

    /// <summary>Every input slot's p-value, or null for scorings without one (mutual information, model-based).</summary>
    public IReadOnlyList<double>? PValues => _pValues;

    /// <summary>The fitted model's coefficients for model-based selection (Lasso, Ridge: of the standardized slots), else null.</summary>
    public IReadOnlyList<double>? Coefficients => _coefficients;

    /// <summary>The fitted model's intercept for Lasso/Ridge selection, else null.</summary>
    public double? Intercept { get; }

    /// <summary>The kept input slots, ascending (the output's slot order).</summary>
    public IReadOnlyList<int> SelectedSlots => _selected;

    /// <summary>The names of the kept slots.</summary>
    public IReadOnlyList<string> SelectedNames => _selected.Select(j => _slotNames[j]).ToArray();

    /// <summary>The names of every input slot.</summary>
    public IReadOnlyList<string> SlotNamesOfInput => _slotNames;

    /// <summary>A report listing every slot's name, score, p-value, rank and kept flag.</summary>
    public FeatureSelectionReport Report() => new(this);

    private protected override int OutputSlotCount => _selected.Length;

    private protected override bool OutputIsVector => true;

    private protected override IReadOnlyList<string>? OutputSlotNames(DataViewSchema.Column input) => SelectedNames;

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private protected override VersionInfo ModelVersion => GetVersionInfo();

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXFSELT",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(FeatureSelectionTransformer).Assembly.FullName);

    private protected override void SaveState(BinaryWriter writer)
    {
        writer.Write(Method);
        for (int j = 0; j < SlotCount; j++)
        {
            writer.Write(_slotNames[j]);
            writer.Write(_scores[j]);
        }
        WriteOptional(writer, _pValues);
        WriteOptional(writer, _coefficients);
        writer.Write(Intercept.HasValue);
        if (Intercept is double b)
            writer.Write(b);
        writer.WriteIntArray(_selected);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private protected override void MapSlots(ReadOnlySpan<float> source, Span<float> destination, Span<double> scratch)
    {
        for (int i = 0; i < _selected.Length; i++)
            destination[i] = source[_selected[i]];
    }

    private static void WriteOptional(BinaryWriter writer, double[]? values)
    {
        writer.Write(values != null);
        if (values != null)
            writer.WriteDoublesNoCount(values);
    }

    private static double[]? ReadOptional(SavedState state, int count, string entry) =>
        state.Reader.ReadBoolean() ? state.ReadDoubles(count, entry) : null;

    private static FeatureSelectionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(FeatureSelectionTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new FeatureSelectionTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
