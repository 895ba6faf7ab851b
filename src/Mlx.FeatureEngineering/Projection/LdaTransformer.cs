using Microsoft.ML;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering;
using Mlx.FeatureEngineering.Projection;

[assembly: LoadableClass(typeof(LdaTransformer), null, typeof(SignatureLoadModel),
    LdaTransformer.UserName, LdaTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(LdaTransformer), null, typeof(SignatureLoadRowMapper),
    LdaTransformer.UserName, LdaTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(LdaTransformer), null, typeof(SignatureLoadDataTransform),
    LdaTransformer.UserName, LdaTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted linear discriminant projection (scikit-learn's <c>LinearDiscriminantAnalysis.transform</c>):
/// y = (x − x̄)·scalings for the SVD solver, x·scalings for the eigen solver. Output slots are named LD1, LD2, ...
/// </summary>
public sealed class LdaTransformer : NumericColumnTransformerBase
{
    internal const string LoaderSignature = "MlxLdaProjection";
    internal const string UserName = "Mlx Linear Discriminant Projection";

    private readonly LinearProjection _projection;
    private readonly double[] _explainedVarianceRatio, _priors;
    private readonly double[][] _classMeans;
    private readonly string[] _classes;

    internal LdaTransformer(IHostEnvironment env, string outputColumnName, SlotColumn input, LdaSolver solver, double? shrinkage,
        LdaSolution solution, string[] classes, double[][] classMeans, double[] priors)
        : base(env.Register(nameof(LdaTransformer)), outputColumnName, input)
    {
        Solver = solver;
        Shrinkage = shrinkage;
        _projection = new LinearProjection(solution.Center, solution.Scalings);
        _explainedVarianceRatio = solution.ExplainedVarianceRatio;
        _classes = classes;
        _classMeans = classMeans;
        _priors = priors;
    }

    private LdaTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx, state)
    {
        // *** Binary format (after the shared header) ***
        // byte: solver; double: shrinkage (NaN = none); projection; int: classes; per class: name, prior, mean[d];
        // int + double[]: explained variance ratio
        Solver = (LdaSolver)state.Reader.ReadByte();
        Host.CheckDecode(Enum.IsDefined(Solver));
        double shrinkage = state.Reader.ReadDouble();
        Shrinkage = double.IsNaN(shrinkage) ? null : shrinkage;
        _projection = LinearProjection.Load(state);
        _projection.CheckFinite(LoaderSignature);
        Host.CheckDecode(_projection.Center.Length == SlotCount);
        int classes = state.ReadCount("classes", SlotCount * sizeof(double));
        if (classes < 2)
            throw MlxError.DamagedModel(LoaderSignature, "classes", $"{classes} classes, fewer than the 2 LDA needs");
        _classes = new string[classes];
        _priors = new double[classes];
        _classMeans = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            _classes[c] = state.Reader.ReadString();
            _priors[c] = state.Reader.ReadDouble();
            _classMeans[c] = state.ReadDoubles(SlotCount, $"mean of class {c}");
        }
        _explainedVarianceRatio = state.ReadDoubles(state.ReadCount("explained variance ratio", sizeof(double)), "explained variance ratio");
    }

    /// <summary>The solver used.</summary>
    public LdaSolver Solver { get; }

    /// <summary>The covariance shrinkage (eigen solver), or null.</summary>
    public double? Shrinkage { get; }

    /// <summary>The number of discriminant components written.</summary>
    public int Rank => _projection.Axes.Length;

    /// <summary>The class names in class order (scikit-learn's <c>classes_</c>: sorted).</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>Class frequencies in the training data (<c>priors_</c>).</summary>
    public IReadOnlyList<double> Priors => _priors;

    /// <summary>Per-class means of the input slots (<c>means_</c>).</summary>
    public IReadOnlyList<IReadOnlyList<double>> ClassMeans => _classMeans;

    /// <summary>The discriminant axes, one per output slot: column k of scikit-learn's <c>scalings_</c> (largest |entry| positive).</summary>
    public IReadOnlyList<IReadOnlyList<double>> Scalings => _projection.Axes;

    /// <summary>Share of the between-class variance per component (<c>explained_variance_ratio_</c>).</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio => _explainedVarianceRatio;

    /// <summary>The point subtracted before projecting: the prior-weighted mean x̄ (SVD solver) or zeros (eigen solver).</summary>
    public IReadOnlyList<double> Center => _projection.Center;

    private protected override int OutputSlotCount => Rank;

    private protected override bool OutputIsVector => true;

    private protected override int ScratchLength => SlotCount;

    private protected override IReadOnlyList<string>? OutputSlotNames(DataViewSchema.Column input) =>
        Enumerable.Range(1, Rank).Select(i => $"LD{i}").ToArray();

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private protected override VersionInfo ModelVersion => GetVersionInfo();

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXLDAPR",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(LdaTransformer).Assembly.FullName);

    private protected override void SaveState(BinaryWriter writer)
    {
        writer.Write((byte)Solver);
        writer.Write(Shrinkage ?? double.NaN);
        _projection.Save(writer);
        writer.Write(_classes.Length);
        for (int c = 0; c < _classes.Length; c++)
        {
            writer.Write(_classes[c]);
            writer.Write(_priors[c]);
            writer.WriteDoublesNoCount(_classMeans[c]);
        }
        writer.Write(_explainedVarianceRatio.Length);
        writer.WriteDoublesNoCount(_explainedVarianceRatio);
    }

    private protected override void MapSlots(ReadOnlySpan<float> source, Span<float> destination, Span<double> scratch) =>
        _projection.Map(source, destination, scratch);

    private static LdaTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(LdaTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new LdaTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
