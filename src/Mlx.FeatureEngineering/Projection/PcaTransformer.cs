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

[assembly: LoadableClass(typeof(PcaTransformer), null, typeof(SignatureLoadModel),
    PcaTransformer.UserName, PcaTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(PcaTransformer), null, typeof(SignatureLoadRowMapper),
    PcaTransformer.UserName, PcaTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(PcaTransformer), null, typeof(SignatureLoadDataTransform),
    PcaTransformer.UserName, PcaTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted exact PCA (scikit-learn's <c>PCA(svd_solver='full')</c>): y = (x − mean)·componentsᵀ, divided
/// by √explained variance when whitening. Output slots are named PC1, PC2, ... A row with a NaN maps to NaN.
/// </summary>
public sealed class PcaTransformer : NumericColumnTransformerBase
{
    internal const string LoaderSignature = "MlxPcaExact";
    internal const string UserName = "Mlx Exact PCA";

    private readonly LinearProjection _projection;
    private readonly double[] _explainedVariance, _explainedVarianceRatio, _singularValues;

    internal PcaTransformer(IHostEnvironment env, string outputColumnName, SlotColumn input, double[] mean, PcaSolution solution, bool whiten, long rows)
        : base(env.Register(nameof(PcaTransformer)), outputColumnName, input)
    {
        _explainedVariance = solution.ExplainedVariance;
        _explainedVarianceRatio = solution.ExplainedVarianceRatio;
        _singularValues = solution.SingularValues;
        NoiseVariance = solution.NoiseVariance;
        Whiten = whiten;
        TrainingRowCount = rows;
        _projection = new LinearProjection(mean, solution.Components, whiten ? _explainedVariance.Select(v => 1 / Math.Sqrt(v)).ToArray() : null);
    }

    private PcaTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx, state)
    {
        // *** Binary format (after the shared header) ***
        // projection (mean, components, whitening scales); byte: whiten; long: training rows; double: noise variance;
        // double[rank] x 3: variance, ratio, singular values
        _projection = LinearProjection.Load(state);
        _projection.CheckFinite(LoaderSignature);
        Host.CheckDecode(_projection.Center.Length == SlotCount && Rank <= SlotCount);
        Whiten = state.Reader.ReadBoolByte();
        TrainingRowCount = state.Reader.ReadInt64();
        NoiseVariance = state.Reader.ReadDouble();
        _explainedVariance = state.ReadDoubles(Rank, "explained variance");
        _explainedVarianceRatio = state.ReadDoubles(Rank, "explained variance ratio");
        _singularValues = state.ReadDoubles(Rank, "singular values");
    }

    /// <summary>The number of components kept.</summary>
    public int Rank => _projection.Axes.Length;

    /// <summary>Whether outputs are divided by √explained variance (unit variance per component).</summary>
    public bool Whiten { get; }

    /// <summary>Rows the PCA was fitted on.</summary>
    public long TrainingRowCount { get; }

    /// <summary>The principal axes, one row per component (scikit-learn's <c>components_</c>), each with its largest-magnitude entry positive.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Components => _projection.Axes;

    /// <summary>The variance along each component (n − 1 denominator; <c>explained_variance_</c>).</summary>
    public IReadOnlyList<double> ExplainedVariance => _explainedVariance;

    /// <summary>Each component's share of the total variance (<c>explained_variance_ratio_</c>).</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio => _explainedVarianceRatio;

    /// <summary>The singular values of the centred training data (<c>singular_values_</c>).</summary>
    public IReadOnlyList<double> SingularValues => _singularValues;

    /// <summary>The mean of each input slot (<c>mean_</c>).</summary>
    public IReadOnlyList<double> Mean => _projection.Center;

    /// <summary>The mean variance of the discarded components (probabilistic PCA's noise variance; <c>noise_variance_</c>).</summary>
    public double NoiseVariance { get; }

    private protected override int OutputSlotCount => Rank;

    private protected override bool OutputIsVector => true;

    private protected override int ScratchLength => SlotCount;

    private protected override IReadOnlyList<string>? OutputSlotNames(DataViewSchema.Column input) =>
        Enumerable.Range(1, Rank).Select(i => $"PC{i}").ToArray();

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private protected override VersionInfo ModelVersion => GetVersionInfo();

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXPCAEX",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(PcaTransformer).Assembly.FullName);

    private protected override void SaveState(BinaryWriter writer)
    {
        _projection.Save(writer);
        writer.WriteBoolByte(Whiten);
        writer.Write(TrainingRowCount);
        writer.Write(NoiseVariance);
        foreach (var array in new[] { _explainedVariance, _explainedVarianceRatio, _singularValues })
            writer.WriteDoublesNoCount(array);
    }

    private protected override void MapSlots(ReadOnlySpan<float> source, Span<float> destination, Span<double> scratch) =>
        _projection.Map(source, destination, scratch);

    private static PcaTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(PcaTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new PcaTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
