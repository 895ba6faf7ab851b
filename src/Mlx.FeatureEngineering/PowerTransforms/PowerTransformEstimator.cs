using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Transforms;
using Mlx.FeatureEngineering.PowerTransforms;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Fits a Box-Cox or Yeo-Johnson power transform per slot by maximum likelihood, like
/// scikit-learn's <c>PowerTransformer</c>. Use <see cref="PowerTransformCatalog"/> to create it.
/// </summary>
/// <remarks>
/// <para>Fitting is one streaming cursor pass over the input column, then λ is found per slot
/// (slots in parallel) with Brent's method on the profile log-likelihood. Brent needs every value
/// of a slot at each step, so the fit holds the non-missing values in memory: about 8 bytes ×
/// rows × slots (80 MB for 1,000,000 × 10), plus one working copy of one slot per core.</para>
/// <para>NaN values are missing: skipped when fitting, NaN in the output. Infinite values,
/// non-positive values for Box-Cox, constant slots and slots with fewer than two values are errors.</para>
/// </remarks>
public sealed class PowerTransformEstimator : NumericColumnEstimatorBase<PowerTransformer>
{
    internal const string NonPositiveFix =
        "Use mlContext.Transforms.NormalizeYeoJohnson, which accepts any real value, or shift the column to be strictly positive first.";

    private readonly PowerTransformOptions _options;

    internal PowerTransformEstimator(IHostEnvironment env, PowerTransformOptions options)
        : base(env, nameof(PowerTransformEstimator), options.OutputColumnName, options.InputColumnName)
    {
        _options = options;
        if (options.MaxDegreeOfParallelism is <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be positive (or null for every core).");
    }

    private string ComponentName => _options.Method == PowerTransformMethod.BoxCox ? "NormalizeBoxCox" : "NormalizeYeoJohnson";

    private protected override PowerTransformer FitCore(IDataView input, SlotColumn column)
    {
        using var channel = Host.Start(ComponentName);
        var clock = Stopwatch.StartNew();
        var samples = SlotColumnReader.ReadAll(input, column, ComponentName);
        for (int j = 0; j < samples.Length; j++)
            Validate(column, j, samples[j]);
        channel.Info($"{ComponentName}: read {samples[0].Count + samples[0].MissingCount} rows x {column.SlotCount} slots in {clock.Elapsed.TotalSeconds:F2} s.");

        var fits = new SlotFit[column.SlotCount];
        int done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, column.SlotCount, parallel, j =>
        {
            fits[j] = PowerTransformFitter.Fit(_options.Method, samples[j].Values, _options.Standardize);
            samples[j] = null!; // release the slot's values as soon as it is fitted
            _options.Progress?.Report(new PowerTransformProgress(Interlocked.Increment(ref done), column.SlotCount));
        });
        for (int j = 0; j < fits.Length; j++)
        {
            if (fits[j].Warning is string warning)
                channel.Warning($"{ComponentName}: {column.Where(j)}: {warning}. See PowerTransformer.SlotWarnings.");
        }
        channel.Info($"{ComponentName}: fitted {column.SlotCount} lambdas in {clock.Elapsed.TotalSeconds:F2} s: " +
                     string.Join(", ", fits.Select(f => f.Lambda.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))));
        return new PowerTransformer(Host, OutputColumnName, column, _options.Method, _options.Standardize, fits);
    }

    private void Validate(SlotColumn column, int slot, SlotSample sample)
    {
        if (sample.Count + sample.MissingCount == 0)
            throw MlxError.CannotFit(column.Where(slot), $"{ComponentName} got no rows to fit on", "Fit on a non-empty IDataView.");
        if (sample.Count < 2)
            throw MlxError.CannotFit(column.Where(slot), $"{ComponentName} needs at least 2 non-missing values but the slot has {sample.Count} ({sample.MissingCount} NaN)",
                "Impute missing values (mlContext.Transforms.ReplaceMissingValues) or drop the slot.");
        if (_options.Method == PowerTransformMethod.BoxCox && sample.Min <= 0)
            throw MlxError.BadValue(column.Where(slot, sample.MinRow), sample.Min, "Box-Cox needs strictly positive values", NonPositiveFix);
        if (sample.Min == sample.Max)
            throw MlxError.CannotFit(column.Where(slot), $"the slot is constant (every value is {MlxError.Show(sample.Min)}), so no power transform can be fitted",
                "Drop constant slots first (e.g. mlContext.Transforms.FeatureSelection.DropSlots or SelectFeaturesBasedOnCount).");
    }
}
