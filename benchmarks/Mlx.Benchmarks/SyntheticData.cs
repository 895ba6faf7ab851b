using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Benchmarks;

/// <summary>
/// The data sets of fe_bench.py's specification (same distributions; .NET's generator cannot reproduce
/// numpy's numbers), as cached in-memory IDataViews so that both the fit's and the transform's passes
/// read from memory, as the numpy arrays of the reference do.
/// </summary>
internal static class SyntheticData
{
    private sealed class FeatureRow
    {
        public float[] X { get; set; } = [];
    }

    private sealed class LabeledRow
    {
        public float[] X { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class ClassRow
    {
        public float[] X { get; set; } = [];
        public int Label { get; set; }
    }

    private sealed class TextRow
    {
        public string[] X { get; set; } = [];
    }

    /// <summary>lognormal: X[i,j] = exp(s_j·Z), Z ~ N(0,1), s_j = 0.5 + 0.1·j.</summary>
    public static IDataView Lognormal(MLContext ml, int n, int d = 10)
    {
        var random = new Random(1);
        var rows = new FeatureRow[n];
        for (int i = 0; i < n; i++)
        {
            var x = new float[d];
            for (int j = 0; j < d; j++)
                x[j] = (float)Math.Exp((0.5 + 0.1 * j) * Gaussian(random));
            rows[i] = new FeatureRow { X = x };
        }
        return Cache(ml, rows, d);
    }

    /// <summary>pca: X = Z·A + 0.5·E, Z ~ N(0,1) (n × 10), E ~ N(0,1), A[k,j] = cos(0.3·(k+1)·(j+1)).</summary>
    public static IDataView Pca(MLContext ml, int n, int d = 100)
    {
        var random = new Random(4);
        var a = new double[10, d];
        for (int k = 0; k < 10; k++)
        {
            for (int j = 0; j < d; j++)
                a[k, j] = Math.Cos(0.3 * (k + 1) * (j + 1));
        }
        var rows = new FeatureRow[n];
        var z = new double[10];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < 10; k++)
                z[k] = Gaussian(random);
            var x = new float[d];
            for (int j = 0; j < d; j++)
            {
                double v = 0.5 * Gaussian(random);
                for (int k = 0; k < 10; k++)
                    v += z[k] * a[k, j];
                x[j] = (float)v;
            }
            rows[i] = new FeatureRow { X = x };
        }
        return Cache(ml, rows, d);
    }

    /// <summary>lda: y ~ U{0..9}; X[i,j] = M[y,j] + N(0,1), M[c,j] = sin((c+1)·(j+1)).</summary>
    public static IDataView Lda(MLContext ml, int n, int d = 100)
    {
        var random = new Random(5);
        var rows = new LabeledRow[n];
        for (int i = 0; i < n; i++)
        {
            int y = random.Next(10);
            var x = new float[d];
            for (int j = 0; j < d; j++)
                x[j] = (float)(Math.Sin((y + 1) * (j + 1.0)) + Gaussian(random));
            rows[i] = new LabeledRow { X = x, Label = y };
        }
        var definition = SchemaDefinition.Create(typeof(LabeledRow));
        definition["X"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, definition));
    }

    /// <summary>discrete: y ~ U{0..4}; X[:, :10] = 2y + U{0,1,2}; X[:, 10:] ~ U{0..10}; label as Int32 classes.</summary>
    public static IDataView Discrete(MLContext ml, int n, int d = 50)
    {
        var random = new Random(2);
        var rows = new ClassRow[n];
        for (int i = 0; i < n; i++)
        {
            int y = random.Next(5);
            var x = new float[d];
            for (int j = 0; j < d; j++)
                x[j] = j < 10 ? 2 * y + random.Next(3) : random.Next(11);
            rows[i] = new ClassRow { X = x, Label = y };
        }
        var definition = SchemaDefinition.Create(typeof(ClassRow));
        definition["X"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, definition));
    }

    /// <summary>lasso: X ~ N(0,1) (n × 100); y = X·β + N(0,1), β_j = 2·(−1)^j for j &lt; 10, else 0.</summary>
    public static IDataView Lasso(MLContext ml, int n, int d = 100)
    {
        var random = new Random(3);
        var rows = new LabeledRow[n];
        for (int i = 0; i < n; i++)
        {
            var x = new float[d];
            double y = Gaussian(random);
            for (int j = 0; j < d; j++)
            {
                x[j] = (float)Gaussian(random);
                if (j < 10)
                    y += 2.0 * (j % 2 == 0 ? 1 : -1) * x[j];
            }
            rows[i] = new LabeledRow { X = x, Label = (float)y };
        }
        var definition = SchemaDefinition.Create(typeof(LabeledRow));
        definition["X"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, definition));
    }

    /// <summary>categorical: C[i,j] ~ U{0..19}, as numbers.</summary>
    public static IDataView CategoricalCodes(MLContext ml, int n, int d = 5)
    {
        var random = new Random(6);
        var rows = new FeatureRow[n];
        for (int i = 0; i < n; i++)
            rows[i] = new FeatureRow { X = Enumerable.Range(0, d).Select(_ => (float)random.Next(20)).ToArray() };
        return Cache(ml, rows, d);
    }

    /// <summary>categorical, string variant: "L%02d" of the code.</summary>
    public static IDataView CategoricalText(MLContext ml, int n, int d = 5)
    {
        var random = new Random(6);
        var names = Enumerable.Range(0, 20).Select(c => $"L{c:00}").ToArray();
        var rows = new TextRow[n];
        for (int i = 0; i < n; i++)
            rows[i] = new TextRow { X = Enumerable.Range(0, d).Select(_ => names[random.Next(20)]).ToArray() };
        var definition = SchemaDefinition.Create(typeof(TextRow));
        definition["X"].ColumnType = new VectorDataViewType(TextDataViewType.Instance, d);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, definition));
    }

    private static IDataView Cache(MLContext ml, FeatureRow[] rows, int d)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition["X"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, definition));
    }

    public static double Gaussian(Random random)
    {
        // Box-Muller.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
