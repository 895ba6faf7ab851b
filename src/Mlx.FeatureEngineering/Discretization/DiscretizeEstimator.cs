using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering.Discretization;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Fits per-slot bin edges like scikit-learn's <c>KBinsDiscretizer(n_bins, encode, strategy, subsample=None)</c>.
/// Use <see cref="DiscretizeCatalog.Discretize"/>.
/// </summary>
/// <remarks>
/// One cursor pass. Uniform keeps only each slot's minimum and maximum; quantile and k-means keep the
/// slot's non-missing values (8 bytes × rows × slots) to select quantiles (O(n)) or sort once for 1-D
/// k-means (each Lloyd iteration is then O(k log n)). Slots are fitted in parallel. Uniform edges start from
/// the minimum and maximum taken at their shortest decimal form (12.55f as 12.55), so that on data read from
/// text they are exactly scikit-learn's edges. NaN is ignored when
/// fitting; infinite values are errors. A constant slot gets a single bin (scikit-learn's behaviour,
/// logged as a warning), and bins narrower than 1e-8 are dropped for quantile and k-means.
/// </remarks>
public sealed class DiscretizeEstimator : NumericColumnEstimatorBase<DiscretizeTransformer>
{
    private readonly int _binCount;
    private readonly BinningStrategy _strategy;
    private readonly BinEncoding _encoding;

    internal DiscretizeEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName,
        int binCount, BinningStrategy strategy, BinEncoding encoding)
        : base(env, nameof(DiscretizeEstimator), outputColumnName, inputColumnName)
    {
        if (binCount < 2)
            throw new ArgumentOutOfRangeException(nameof(binCount), binCount, "Discretize needs binCount >= 2 (as scikit-learn's n_bins).");
        if (!Enum.IsDefined(strategy))
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown binning strategy.");
        if (!Enum.IsDefined(encoding))
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown bin encoding.");
        _binCount = binCount;
        _strategy = strategy;
        _encoding = encoding;
    }

    private protected override SchemaShape.Column OutputShape(SchemaShape.Column input) =>
        _encoding == BinEncoding.OneHot ? VectorOutputWithSlotNames() : base.OutputShape(input);

    private protected override DiscretizeTransformer FitCore(IDataView input, SlotColumn column)
    {
        using var channel = Host.Start("Discretize");
        var clock = Stopwatch.StartNew();
        var samples = SlotColumnReader.ReadAll(input, column, "Discretize", keepValues: _strategy != BinningStrategy.Uniform);
        for (int j = 0; j < samples.Length; j++)
        {
            if (samples[j].Count == 0)
            {
                throw MlxError.CannotFit(column.Where(j), samples[j].MissingCount == 0 ? "Discretize got no rows to fit on" : "every value is missing (NaN)",
                    "Fit on data with at least one non-missing value per slot.");
            }
        }

        var edges = new double[column.SlotCount][];
        Parallel.For(0, column.SlotCount, j =>
        {
            var s = samples[j];
            edges[j] = s.Min == s.Max ? BinEdges.Constant() : _strategy switch
            {
                BinningStrategy.Uniform => BinEdges.Uniform(BinEdges.ShortestDecimal(s.Min), BinEdges.ShortestDecimal(s.Max), _binCount),
                BinningStrategy.Quantile => BinEdges.Quantile(s.ValuesForReordering, s.Min, s.Max, _binCount),
                _ => BinEdges.KMeans(s.ValuesForReordering, s.Min, s.Max, _binCount),
            };
            samples[j] = null!;
        });
        for (int j = 0; j < edges.Length; j++)
        {
            if (edges[j].Length == 2 && double.IsInfinity(edges[j][0]))
                channel.Warning($"{column.Where(j)} is constant: it gets a single bin and every value maps to 0.");
            else if (edges[j].Length - 1 < _binCount)
                channel.Warning($"{column.Where(j)}: {_binCount - edges[j].Length + 1} bins narrower than 1e-8 were removed ({edges[j].Length - 1} left).");
        }
        channel.Info($"Discretize ({_strategy}): fitted {column.SlotCount} slots in {clock.Elapsed.TotalSeconds:F2} s.");
        return new DiscretizeTransformer(Host, OutputColumnName, column, _strategy, _encoding, edges);
    }
}
