using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Batching;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>Outlier filtering as a training-only data operation: <c>mlContext.Data.FilterOutliers(...)</c>.</summary>
public static class OutlierCatalog
{
    /// <summary>
    /// Removes the rows with a value outside its slot's interval under <paramref name="rule"/> (intervals fitted on
    /// <paramref name="data"/> itself), keeping every column; <paramref name="report"/> says which rows went and why.
    /// Slots whose spread is 0 are not judged (reported). Deterministic; the filtering is lazy (the fit and the report
    /// take two passes). Fit it on training data only: filtering test data by its own statistics would hide real cases.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">The data.</param>
    /// <param name="featureColumnName">A Single or known-size vector of Single column.</param>
    /// <param name="rule">The rule, e.g. <c>OutlierRule.InterquartileRange()</c>.</param>
    /// <param name="report">The removed rows and each slot's interval.</param>
    public static IDataView FilterOutliers(this DataOperationsCatalog catalog, IDataView data, string featureColumnName, OutlierRule rule, out OutlierReport report)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rule);
        var column = SlotColumn.Resolve(data.Schema, featureColumnName, nameof(featureColumnName));
        var samples = SlotColumnReader.ReadAll(data, column, nameof(FilterOutliers));
        if (samples.Length > 0 && samples[0].Count + samples[0].MissingCount == 0)
            throw MlxError.CannotFit("the data", "it has no rows", "Filter the training data, after any other filters.");
        var bounds = samples.Select(s => s.Count > 0 ? rule.Bounds(s) : null).ToArray();
        var lower = bounds.Select(b => b?.Lower ?? double.NegativeInfinity).ToArray();
        var upper = bounds.Select(b => b?.Upper ?? double.PositiveInfinity).ToArray();

        var flagged = new long[column.SlotCount];
        var removed = new List<RemovedRow>();
        long rows = 0;
        using (var cursor = data.GetRowCursor([data.Schema[featureColumnName]]))
        {
            var read = DenseRowReader.Create<float>(cursor, data.Schema[featureColumnName], column.IsVector, column.SlotCount);
            while (cursor.MoveNext())
            {
                var x = read();
                int first = -1;
                for (int j = 0; j < x.Length; j++)
                {
                    if (x[j] < lower[j] || x[j] > upper[j])
                    {
                        flagged[j]++;
                        if (first < 0)
                            first = j;
                    }
                }
                if (first >= 0)
                    removed.Add(new RemovedRow(rows, first, column.SlotName(first) ?? $"slot {first}", x[first]));
                rows++;
            }
        }
        report = new OutlierReport(rule, rows, Enumerable.Range(0, column.SlotCount)
            .Select(j => new OutlierSlot(j, column.SlotName(j) ?? $"slot {j}", bounds[j]?.Lower, bounds[j]?.Upper, flagged[j])).ToArray(), removed);

        // A lazy flag column, filtered on, then dropped: every other column passes through untouched.
        const string Flag = "__MlxOutlier";
        IHostEnvironment host = new MLContext();
        int index = data.Schema[featureColumnName].Index;
        var withFlag = new BatchedMapDataView(host, data, [new DataViewSchema.DetachedColumn(Flag, NumberDataViewType.Single)], [index], 1024,
            (row, capacity) => new FlagBatch(DenseRowReader.Create<float>(row, row.Schema[featureColumnName], column.IsVector, column.SlotCount), lower, upper, capacity));
        var kept = catalog.FilterRowsByColumn(withFlag, Flag, upperBound: 0.5);
        return new MLContext().Transforms.DropColumns(Flag).Fit(kept).Transform(kept);
    }

    /// <summary>1 for a staged row with a value outside its slot's interval, else 0.</summary>
    private sealed class FlagBatch(Func<ReadOnlySpan<float>> read, double[] lower, double[] upper, int capacity) : IBatchRowMapper
    {
        private readonly float[] _flags = new float[capacity];

        public void Stage(int index)
        {
            var x = read();
            float flag = 0;
            for (int j = 0; j < x.Length; j++)
            {
                if (x[j] < lower[j] || x[j] > upper[j])
                {
                    flag = 1;
                    break;
                }
            }
            _flags[index] = flag;
        }

        public void Run(int count)
        {
        }

        public Delegate GetGetter(int output, Func<int> index) => (ValueGetter<float>)((ref float value) => value = _flags[index()]);

        public void Dispose()
        {
        }
    }
}
