using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering;
using Mlx.FeatureEngineering.PowerTransforms;

[assembly: LoadableClass(typeof(PowerTransformer), null, typeof(SignatureLoadModel),
    PowerTransformer.UserName, PowerTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(PowerTransformer), null, typeof(SignatureLoadRowMapper),
    PowerTransformer.UserName, PowerTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(PowerTransformer), null, typeof(SignatureLoadDataTransform),
    PowerTransformer.UserName, PowerTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted Box-Cox or Yeo-Johnson power transform (scikit-learn's <c>PowerTransformer</c>):
/// maps each slot x to ψ(x, λ) and, when fitted with standardization, to (ψ − mean)/scale.
/// Created by <see cref="PowerTransformEstimator"/>; saved and loaded with <c>mlContext.Model</c>.
/// </summary>
/// <remarks>NaN maps to NaN. Box-Cox of a value ≤ 0, or any infinite value, throws naming the column, slot and row.</remarks>
public sealed class PowerTransformer : NumericColumnTransformerBase
{
    internal const string LoaderSignature = "MlxPowerTransform";
    internal const string UserName = "Mlx Power Transform (Box-Cox / Yeo-Johnson)";

    private readonly double[] _lambdas, _means, _scales, _logLikelihoods;
    private readonly string?[] _warnings;

    internal PowerTransformer(IHostEnvironment env, string outputColumnName, SlotColumn input,
        PowerTransformMethod method, bool standardize, IReadOnlyList<SlotFit> fits)
        : base(env.Register(nameof(PowerTransformer)), outputColumnName, input)
    {
        Method = method;
        Standardize = standardize;
        _lambdas = fits.Select(f => f.Lambda).ToArray();
        _means = fits.Select(f => f.Mean).ToArray();
        _scales = fits.Select(f => f.Scale).ToArray();
        _logLikelihoods = fits.Select(f => f.LogLikelihood).ToArray();
        _warnings = fits.Select(f => f.Warning).ToArray();
    }

    private PowerTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx, state)
    {
        // *** Binary format (after the shared header) ***
        // byte: method; byte: standardize
        // double[SlotCount] x 4: lambdas, means, scales, log-likelihoods
        Method = (PowerTransformMethod)state.Reader.ReadByte();
        Host.CheckDecode(Enum.IsDefined(Method));
        Standardize = state.Reader.ReadBoolByte();
        _lambdas = state.ReadDoubles(SlotCount, "lambdas");
        _means = state.ReadDoubles(SlotCount, "means");
        _scales = state.ReadDoubles(SlotCount, "scales");
        _logLikelihoods = state.ReadDoubles(SlotCount, "log-likelihoods");
        // Version 0x00010002 added the per-slot warnings ("" for none); earlier models have none.
        _warnings = new string?[SlotCount];
        if (ctx.Header.ModelVerWritten >= 0x00010002)
        {
            for (int j = 0; j < SlotCount; j++)
                _warnings[j] = state.Reader.ReadString() is { Length: > 0 } w ? w : null;
        }
        MlxError.CheckFinite(LoaderSignature, "lambdas", _lambdas);
        MlxError.CheckFinite(LoaderSignature, "means", _means);
        MlxError.CheckFinite(LoaderSignature, "scales", _scales);
        for (int j = 0; j < SlotCount; j++)
        {
            if (_scales[j] <= 0)
                throw MlxError.DamagedModel(LoaderSignature, $"scales [{j}]", $"the scale is {MlxError.Show(_scales[j])}, not positive");
        }
    }

    /// <summary>Box-Cox or Yeo-Johnson.</summary>
    public PowerTransformMethod Method { get; }

    /// <summary>Whether outputs are standardized to zero mean and unit variance.</summary>
    public bool Standardize { get; }

    /// <summary>The fitted λ of each slot (scikit-learn's <c>lambdas_</c>).</summary>
    public IReadOnlyList<double> Lambdas => _lambdas;

    /// <summary>The mean of each transformed slot on the training data (all 0 when <see cref="Standardize"/> is false).</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>The standard deviation (ddof = 0) of each transformed slot (all 1 when <see cref="Standardize"/> is false).</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>The maximized log-likelihood of each slot (scipy's <c>boxcox_llf</c> for Box-Cox).</summary>
    public IReadOnlyList<double> LogLikelihoods => _logLikelihoods;

    /// <summary>
    /// Per slot, why λ could not be estimated, or null. A slot whose profile likelihood is flat (values in a narrow band
    /// far from zero, such as calendar years: λ and λ ± 20 fit equally well, or the likelihood has no finite maximum)
    /// gets λ = 1, a linear map, instead of the arbitrary λ where the optimizer stopped (scikit-learn returns such a λ,
    /// e.g. −2.75 or 31, without a warning). The fit also logs each warning on the ML.NET channel.
    /// </summary>
    public IReadOnlyList<string?> SlotWarnings => _warnings;

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010003;

    private protected override VersionInfo ModelVersion => GetVersionInfo();

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXPOWTR",
        verWrittenCur: 0x00010003, // 0x00010002: per-slot warnings; 0x00010003: sealed state
        verReadableCur: 0x00010003,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(PowerTransformer).Assembly.FullName);

    private protected override void SaveState(BinaryWriter writer)
    {
        writer.Write((byte)Method);
        writer.WriteBoolByte(Standardize);
        foreach (var array in new[] { _lambdas, _means, _scales, _logLikelihoods })
            writer.WriteDoublesNoCount(array);
        foreach (var warning in _warnings)
            writer.Write(warning ?? "");
    }

    private protected override void MapSlots(ReadOnlySpan<float> source, Span<float> destination, Span<double> scratch)
    {
        for (int j = 0; j < source.Length; j++)
        {
            double x = source[j];
            if (double.IsNaN(x))
            {
                destination[j] = float.NaN;
                continue;
            }
            if (double.IsInfinity(x))
                throw new SlotValueException(j, x, "power transforms need finite values", "Remove or replace infinite values before this transform.");
            double y;
            if (Method == PowerTransformMethod.BoxCox)
            {
                if (x <= 0)
                    throw new SlotValueException(j, x, "Box-Cox needs strictly positive values", PowerTransformEstimator.NonPositiveFix);
                y = PowerFunctions.BoxCox(x, _lambdas[j]);
            }
            else
            {
                y = PowerFunctions.YeoJohnson(x, _lambdas[j]);
            }
            destination[j] = (float)((y - _means[j]) / _scales[j]);
        }
    }

    // Factory for SignatureLoadModel.
    private static PowerTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(PowerTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new PowerTransformer(host, ctx, state));
    }

    // Factory for SignatureLoadDataTransform.
    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    // Factory for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
