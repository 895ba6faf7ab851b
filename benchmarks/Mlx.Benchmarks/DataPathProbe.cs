using Microsoft.ML;
using Mlx.FeatureEngineering;

namespace Mlx.Benchmarks;

/// <summary>
/// The cost of ML.NET's data path alone: reading every row of the cached input through a cursor,
/// with no transform. Printed so that each op's figure can be read as data path + Mlx's own work.
/// </summary>
internal static class DataPathProbe
{
    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        var ml = new MLContext(seed: 1);
        int n = options.Rows(1_000_000);
        var sets = new (string Name, IDataView Data)[]
        {
            ($"{n:N0} x 10 Single (lognormal)", SyntheticData.Lognormal(ml, n)),
            ($"{n:N0} x 5 Single (codes)", SyntheticData.CategoricalCodes(ml, n)),
        };
        var results = sets.Select(s => new BenchmarkResult("read_one_pass", s.Name,
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.ConsumeSingle(s.Data, "X")), null, "no reference: ML.NET cursor only")).ToList();
        // ML.NET's own cheapest one-to-one transforms, fitted once: the framework's per-row cost of a mapped column.
        var lognormal = sets[0].Data;
        var copy = ml.Transforms.CopyColumns("Y", "X").Fit(lognormal);
        var minMax = ml.Transforms.NormalizeMinMax("Y", "X").Fit(lognormal);
        results.Add(new BenchmarkResult("mlnet_copy_single", sets[0].Name,
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.ConsumeSingle(copy.Transform(lognormal), "Y")), null, "ML.NET CopyColumns, one GetRowCursor"));
        results.Add(new BenchmarkResult("mlnet_copy_set", sets[0].Name,
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.Consume(copy.Transform(lognormal), "Y")), null, "ML.NET CopyColumns, GetRowCursorSet"));
        results.Add(new BenchmarkResult("mlnet_minmax_set", sets[0].Name,
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.Consume(minMax.Transform(lognormal), "Y")), null, "ML.NET NormalizeMinMax, GetRowCursorSet"));
        // Mlx's own block reader (column-major doubles, finiteness checks) with nothing done per block, on the Lasso data.
        int lassoRows = options.Rows(200_000);
        var lasso = SyntheticData.Lasso(ml, lassoRows);
        var column = Mlx.Core.Data.SlotColumn.Resolve(lasso.Schema, "X");
        results.Add(new BenchmarkResult("mlx_block_read", $"{lassoRows:N0} x 100",
            Timing.Median(options.Repetitions, () => Mlx.Core.Data.RowBlockReader.Read(lasso, column, "probe", _ => { })), null, "RowBlockReader, no work per block"));
        results.Add(new BenchmarkResult("read_one_pass", $"{lassoRows:N0} x 100",
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.ConsumeSingle(lasso, "X")), null, "no reference: ML.NET cursor only"));
        // The chi2_select transform half: ML.NET's own CopyColumns vs Mlx's fitted selection, both read with a cursor set.
        var discrete = SyntheticData.Discrete(ml, lassoRows);
        var copy50 = ml.Transforms.CopyColumns("Y", "X").Fit(discrete);
        var select = ml.Transforms.FeatureSelection.SelectFeaturesByScore("Y", "X", count: 10).Fit(discrete);
        results.Add(new BenchmarkResult("mlnet_copy_set", $"{lassoRows:N0} x 50",
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.Consume(copy50.Transform(discrete), "Y")), null, "ML.NET CopyColumns, GetRowCursorSet"));
        results.Add(new BenchmarkResult("mlx_select_set", $"{lassoRows:N0} x 50 -> 10",
            Timing.Median(options.Repetitions, () => FeatureEngineeringSuite.Consume(select.Transform(discrete), "Y")), null, "Mlx fitted chi2 selection, GetRowCursorSet"));
        return results;
    }
}
