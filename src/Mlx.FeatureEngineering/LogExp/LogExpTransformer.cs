using Microsoft.ML;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Numerics;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering;

[assembly: LoadableClass(typeof(LogExpTransformer), null, typeof(SignatureLoadModel),
    LogExpTransformer.UserName, LogExpTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(LogExpTransformer), null, typeof(SignatureLoadRowMapper),
    LogExpTransformer.UserName, LogExpTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(LogExpTransformer), null, typeof(SignatureLoadDataTransform),
    LogExpTransformer.UserName, LogExpTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// <c>log(x + offset)</c> (<see cref="LogExpDirection.Log"/>) or its inverse <c>exp(x) − offset</c>
/// (<see cref="LogExpDirection.Exp"/>), slot by slot, like <c>np.log1p</c>/<c>np.expm1</c> at offset 1
/// (computed with full precision near zero). NaN maps to NaN.
/// </summary>
public sealed class LogExpTransformer : NumericColumnTransformerBase
{
    internal const string LoaderSignature = "MlxLogExpTransform";
    internal const string UserName = "Mlx Log / Exp Transform";

    internal LogExpTransformer(IHostEnvironment env, string outputColumnName, SlotColumn input, LogExpDirection direction, double offset)
        : base(env.Register(nameof(LogExpTransformer)), outputColumnName, input)
    {
        Direction = direction;
        Offset = offset;
    }

    private LogExpTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx, state)
    {
        // *** Binary format (after the shared header) ***
        // byte: direction; double: offset
        Direction = (LogExpDirection)state.Reader.ReadByte();
        Host.CheckDecode(Enum.IsDefined(Direction));
        Offset = state.Reader.ReadDouble();
        Host.CheckDecode(double.IsFinite(Offset));
    }

    /// <summary>Log or Exp.</summary>
    public LogExpDirection Direction { get; }

    /// <summary>The offset added before the log (or subtracted after the exp).</summary>
    public double Offset { get; }

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private protected override VersionInfo ModelVersion => GetVersionInfo();

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXLOGEX",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(LogExpTransformer).Assembly.FullName);

    private protected override void SaveState(BinaryWriter writer)
    {
        writer.Write((byte)Direction);
        writer.Write(Offset);
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
                throw new SlotValueException(j, x, $"{Direction} transform needs finite values", "Remove or replace infinite values first.");
            double y = Direction == LogExpDirection.Log ? Log(j, x) : Exp(j, x);
            destination[j] = (float)y;
        }
    }

    private double Log(int slot, double x)
    {
        if (!(x + Offset > 0))
        {
            throw new SlotValueException(slot, x, $"log(x + {Offset}) needs x + offset > 0",
                "Use a larger offset (at least 1 − the column minimum), or mlContext.Transforms.NormalizeYeoJohnson for data of any sign.");
        }
        return Offset == 1.0 ? PreciseMath.Log1p(x) : Math.Log(x + Offset);
    }

    private double Exp(int slot, double x)
    {
        double y = Offset == 1.0 ? PreciseMath.Expm1(x) : Math.Exp(x) - Offset;
        if (Math.Abs(y) > float.MaxValue)
            throw new SlotValueException(slot, x, "exp(x) overflows Single", "Check that the column holds log-scale values (exp of more than 88 does not fit in a Single).");
        return y;
    }

    private static LogExpTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(LogExpTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new LogExpTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
