using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Benchmarks;

/// <summary>
/// Times Mlx fit + transform (every output row read through a cursor, so the lazy transform really runs)
/// for a list of ops, then runs the same ops of scikit-learn's fe_bench.py in one reference run.
/// </summary>
internal static class FeatureEngineeringSuite
{
    /// <summary>One op: its fe_bench name, a description of the data, the input and the estimator to fit.</summary>
    /// <param name="OutputColumn">The column to read after fitting, or null to time the fit alone (score-only ops).</param>
    public sealed record Op(string Name, string Data, Func<IDataView> Input, Func<MLContext, IEstimator<ITransformer>> Estimator, string? OutputColumn);

    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options, MLContext ml, IReadOnlyList<Op> ops, string referenceName)
    {
        var mlx = new Dictionary<string, double>();
        foreach (var op in ops)
        {
            var data = op.Input();
            var fit = new List<double>();
            mlx[op.Name] = Timing.Median(options.Repetitions, () =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var model = op.Estimator(ml).Fit(data);
                fit.Add(clock.Elapsed.TotalSeconds);
                if (op.OutputColumn != null)
                    Consume(model.Transform(data), op.OutputColumn);
            });
            var timedFits = fit.Skip(fit.Count - options.Repetitions).Order().ToList();
            Console.WriteLine($"  mlx {op.Name}: {mlx[op.Name]:F3} s (fit {timedFits[timedFits.Count / 2]:F3} s, the rest is transform)");
        }

        IReadOnlyDictionary<string, double>? reference = null;
        string note = referenceName;
        if (options.RunReference && SklearnReference.Unavailable() is string why)
            note = "skipped: " + why;
        else if (options.RunReference)
            reference = SklearnReference.Run(ops.Select(o => o.Name), options.Repetitions, options.Scale);
        return ops.Select(o => new BenchmarkResult(o.Name, o.Data, mlx[o.Name], reference?.GetValueOrDefault(o.Name), note)).ToList();
    }

    /// <summary>
    /// Reads every value of a Single or vector-of-Single column the way ML.NET's trainers do: one cursor per
    /// core from <see cref="IDataView.GetRowCursorSet"/>, read in parallel. (A single GetRowCursor over a
    /// mapped column makes ML.NET split and re-merge rows across threads, about 100 ns per row whatever the
    /// transform; the datapath suite measures it with ML.NET's own CopyColumns.)
    /// </summary>
    public static void Consume(IDataView data, string column)
    {
        var col = data.Schema[column];
        var cursors = data.GetRowCursorSet(new[] { col }, Environment.ProcessorCount);
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
                ConsumeOne(cursor, col);
        });
    }

    /// <summary>Reads every value through one cursor.</summary>
    public static void ConsumeSingle(IDataView data, string column)
    {
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor(new[] { col });
        ConsumeOne(cursor, col);
    }

    private static void ConsumeOne(DataViewRowCursor cursor, DataViewSchema.Column col)
    {
        double sum = 0;
        if (col.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            var value = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getter(ref value);
                var values = value.GetValues();
                if (values.Length > 0)
                    sum += values[0];
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(col);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                sum += value;
            }
        }
        GC.KeepAlive(sum);
    }
}
