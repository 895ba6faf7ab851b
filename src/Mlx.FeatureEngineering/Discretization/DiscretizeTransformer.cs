using System.Globalization;
using Microsoft.ML;
using Mlx.Core.Errors;
using Mlx.Core.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Internal.Utilities;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering;
using Mlx.FeatureEngineering.Discretization;

[assembly: LoadableClass(typeof(DiscretizeTransformer), null, typeof(SignatureLoadModel),
    DiscretizeTransformer.UserName, DiscretizeTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(DiscretizeTransformer), null, typeof(SignatureLoadRowMapper),
    DiscretizeTransformer.UserName, DiscretizeTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IDataTransform), typeof(DiscretizeTransformer), null, typeof(SignatureLoadDataTransform),
    DiscretizeTransformer.UserName, DiscretizeTransformer.LoaderSignature)]

namespace Mlx.FeatureEngineering;

/// <summary>
/// A fitted discretizer (scikit-learn's <c>KBinsDiscretizer</c>): each slot's value goes to the bin
/// <c>searchsorted(inner edges, x, side='right')</c>, so values outside the fitted range land in the end
/// bins. Values are compared with the edges in Single precision (the data's precision): a value equal to
/// an edge at that precision goes to the upper bin. <see cref="BinEncoding.Ordinal"/> writes the bin index (NaN stays NaN);
/// <see cref="BinEncoding.OneHot"/> writes one indicator per bin (a NaN slot writes NaN in all its indicators).
/// </summary>
public sealed class DiscretizeTransformer : NumericColumnTransformerBase
{
    internal const string LoaderSignature = "MlxDiscretizeTransform";
    internal const string UserName = "Mlx Discretize (KBins)";

    private readonly double[][] _edges;
    private readonly float[][] _innerEdges; // compared in Single precision, as the data
    private readonly int[] _offsets; // first one-hot slot of each input slot
    private readonly string[] _inputSlotNames;

    internal DiscretizeTransformer(IHostEnvironment env, string outputColumnName, SlotColumn input,
        BinningStrategy strategy, BinEncoding encoding, double[][] edges)
        : base(env.Register(nameof(DiscretizeTransformer)), outputColumnName, input)
    {
        Strategy = strategy;
        Encoding = encoding;
        _edges = edges;
        _inputSlotNames = Enumerable.Range(0, input.SlotCount).Select(j => input.SlotName(j) ?? (input.IsVector ? $"{input.Name}{j}" : input.Name)).ToArray();
        _offsets = Offsets(edges);
        _innerEdges = edges.Select(Discretization.BinEdges.InnerEdgesAsSingle).ToArray();
    }

    private DiscretizeTransformer(IHost host, ModelLoadContext ctx, SavedState state)
        : base(host, ctx, state)
    {
        // *** Binary format (after the shared header) ***
        // byte: strategy; byte: encoding
        // per slot: string name; int edge count; double[] edges
        Strategy = (BinningStrategy)state.Reader.ReadByte();
        Encoding = (BinEncoding)state.Reader.ReadByte();
        Host.CheckDecode(Enum.IsDefined(Strategy) && Enum.IsDefined(Encoding));
        _inputSlotNames = new string[SlotCount];
        _edges = new double[SlotCount][];
        for (int j = 0; j < SlotCount; j++)
        {
            _inputSlotNames[j] = state.Reader.ReadString();
            int count = state.ReadCount($"bin edges of slot {j}", sizeof(double));
            if (count < 2)
                throw MlxError.DamagedModel(LoaderSignature, $"bin edges of slot {j}", $"{count} edges, fewer than the 2 of one bin");
            _edges[j] = state.ReadDoubles(count, $"bin edges of slot {j}");
            MlxError.CheckFinite(LoaderSignature, $"bin edges of slot {j}", _edges[j].AsSpan(1, count - 2));
            for (int e = 1; e < count; e++)
            {
                if (!(_edges[j][e] >= _edges[j][e - 1]))
                    throw MlxError.DamagedModel(LoaderSignature, $"bin edges of slot {j} [{e}]", $"edges {MlxError.Show(_edges[j][e - 1])} then {MlxError.Show(_edges[j][e])} are not ascending");
            }
        }
        _offsets = Offsets(_edges);
        _innerEdges = _edges.Select(Discretization.BinEdges.InnerEdgesAsSingle).ToArray();
    }

    /// <summary>How the edges were chosen.</summary>
    public BinningStrategy Strategy { get; }

    /// <summary>How bins are written.</summary>
    public BinEncoding Encoding { get; }

    /// <summary>The bin edges of each slot (scikit-learn's <c>bin_edges_</c>): first = minimum, last = maximum of the training data.</summary>
    public IReadOnlyList<IReadOnlyList<double>> BinEdges => _edges;

    /// <summary>The number of bins of each slot (scikit-learn's <c>n_bins_</c>; fewer than asked when narrow bins were dropped).</summary>
    public IReadOnlyList<int> BinCounts => _edges.Select(e => e.Length - 1).ToArray();

    private protected override int OutputSlotCount => Encoding == BinEncoding.Ordinal ? SlotCount : _offsets[^1];

    private protected override bool OutputIsVector => Encoding == BinEncoding.OneHot || IsVector;

    private protected override IReadOnlyList<string>? OutputSlotNames(DataViewSchema.Column input) =>
        Encoding == BinEncoding.Ordinal ? base.OutputSlotNames(input) : OneHotSlotNames();

    /// <summary>The first format whose state carries a checksum (<see cref="SavedState"/>).</summary>
    private const uint SealedSince = 0x00010002;

    private protected override VersionInfo ModelVersion => GetVersionInfo();

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLXKBINS",
        verWrittenCur: 0x00010002, // sealed state
        verReadableCur: 0x00010002,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(DiscretizeTransformer).Assembly.FullName);

    private protected override void SaveState(BinaryWriter writer)
    {
        writer.Write((byte)Strategy);
        writer.Write((byte)Encoding);
        for (int j = 0; j < SlotCount; j++)
        {
            writer.Write(_inputSlotNames[j]);
            writer.Write(_edges[j].Length);
            writer.WriteDoublesNoCount(_edges[j]);
        }
    }

    private protected override void MapSlots(ReadOnlySpan<float> source, Span<float> destination, Span<double> scratch)
    {
        if (Encoding == BinEncoding.Ordinal)
        {
            for (int j = 0; j < source.Length; j++)
                destination[j] = float.IsNaN(source[j]) ? float.NaN : Discretization.BinEdges.BinOf(_innerEdges[j], source[j]);
            return;
        }
        destination.Clear();
        for (int j = 0; j < source.Length; j++)
        {
            if (float.IsNaN(source[j]))
                destination[_offsets[j].._offsets[j + 1]].Fill(float.NaN);
            else
                destination[_offsets[j] + Discretization.BinEdges.BinOf(_innerEdges[j], source[j])] = 1f;
        }
    }

    /// <summary>Names like <c>x1&lt;0.5</c>, <c>x1[0.5,1.2)</c>, <c>x1&gt;=1.2</c>: the end bins also hold values outside the training range.</summary>
    private string[] OneHotSlotNames()
    {
        var names = new List<string>(_offsets[^1]);
        for (int j = 0; j < SlotCount; j++)
        {
            var e = _edges[j];
            int bins = e.Length - 1;
            for (int b = 0; b < bins; b++)
            {
                string name = _inputSlotNames[j];
                if (bins == 1) names.Add($"{name}[all]");
                else if (b == 0) names.Add($"{name}<{Show(e[1])}");
                else if (b == bins - 1) names.Add($"{name}>={Show(e[b])}");
                else names.Add($"{name}[{Show(e[b])},{Show(e[b + 1])})");
            }
        }
        return names.ToArray();
    }

    private static string Show(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static int[] Offsets(double[][] edges)
    {
        var offsets = new int[edges.Length + 1];
        for (int j = 0; j < edges.Length; j++)
            offsets[j + 1] = offsets[j] + edges[j].Length - 1;
        return offsets;
    }

    private static DiscretizeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var host = env.Register(nameof(DiscretizeTransformer));
        ctx.CheckAtModel(GetVersionInfo());
        return SavedState.Load(ctx, LoaderSignature, SealedSince, state => new DiscretizeTransformer(host, ctx, state));
    }

    private static IDataTransform Create(IHostEnvironment env, ModelLoadContext ctx, IDataView input) =>
        Create(env, ctx).MakeDataTransform(input);

    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema) =>
        Create(env, ctx).MakeRowMapper(inputSchema);
}
