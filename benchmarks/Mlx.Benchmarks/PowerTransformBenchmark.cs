using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;

namespace Mlx.Benchmarks;

/// <summary>
/// Box-Cox and Yeo-Johnson fit + transform on the fe_bench "lognormal" spec: n = 1,000,000, d = 10,
/// X[i,j] = exp(s_j·Z), Z ~ N(0,1), s_j = 0.5 + 0.1·j. Mlx: fit on an in-memory IDataView, then
/// the whole transformed column is read through a cursor (so the lazy transform really runs).
/// scikit-learn: PowerTransformer.fit(X) + transform(X) on a float64 numpy array, 2 threads.
/// </summary>
internal static class PowerTransformBenchmark
{
    private sealed class Row
    {
        public float[] X { get; set; } = [];
    }

    public static IReadOnlyList<BenchmarkResult> Run(BenchmarkOptions options)
    {
        int n = Math.Max(100, (int)Math.Round(1_000_000 * options.Scale));
        const int d = 10;
        var ml = new MLContext(seed: 1);
        var data = LognormalData(ml, n, d);
        var cases = new (string Op, PowerTransformMethod Method, bool Standardize)[]
        {
            ("box_cox", PowerTransformMethod.BoxCox, false),
            ("box_cox_std", PowerTransformMethod.BoxCox, true),
            ("yeo_johnson", PowerTransformMethod.YeoJohnson, false),
            ("yeo_johnson_std", PowerTransformMethod.YeoJohnson, true),
        };

        var mlx = new Dictionary<string, double>();
        foreach (var (op, method, standardize) in cases)
        {
            mlx[op] = Timing.Median(options.Repetitions, () =>
            {
                var model = ml.Transforms.PowerTransform(new PowerTransformOptions
                {
                    OutputColumnName = "Y", InputColumnName = "X", Method = method, Standardize = standardize,
                }).Fit(data);
                Consume(model.Transform(data), "Y");
            });
            Console.WriteLine($"  mlx {op}: {mlx[op]:F3} s");
        }

        IReadOnlyDictionary<string, double>? reference = null;
        string note = "sklearn 1.2 PowerTransformer";
        if (options.RunReference && SklearnReference.Unavailable() is string why)
            note = "skipped: " + why;
        else if (options.RunReference)
            reference = SklearnReference.Run(cases.Select(c => c.Op), options.Repetitions, options.Scale);
        return cases.Select(c => new BenchmarkResult(c.Op, $"{n:N0} x {d} lognormal", mlx[c.Op],
            reference?.GetValueOrDefault(c.Op), note)).ToList();
    }

    /// <summary>Reads every value of a vector column (what a downstream trainer would do).</summary>
    private static void Consume(IDataView data, string column)
    {
        using var cursor = data.GetRowCursor(new[] { data.Schema[column] });
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        var value = default(VBuffer<float>);
        double sum = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            sum += value.GetValues()[0];
        }
        if (double.IsInfinity(sum))
            Console.WriteLine("  (overflowing sum)");
    }

    private static IDataView LognormalData(MLContext ml, int n, int d)
    {
        var random = new Random(1);
        var rows = new Row[n];
        for (int i = 0; i < n; i++)
        {
            var x = new float[d];
            for (int j = 0; j < d; j++)
                x[j] = (float)Math.Exp((0.5 + 0.1 * j) * Gaussian(random));
            rows[i] = new Row { X = x };
        }
        var definition = SchemaDefinition.Create(typeof(Row));
        definition["X"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        // Cache so that both the fit's pass and the transform's pass read from memory, as numpy would.
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, definition));
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
