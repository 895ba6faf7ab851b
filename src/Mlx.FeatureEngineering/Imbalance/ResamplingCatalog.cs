using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Batching;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Training-only data operations for imbalanced classes: <c>mlContext.Data.Resample(...)</c> (random over- and
/// under-sampling, SMOTE) and <c>mlContext.Data.AddBalancedClassWeights(...)</c>. They return data, never a transformer:
/// a saved scoring pipeline must not resample.
/// </summary>
public static class ResamplingCatalog
{
    /// <summary>
    /// Rebalances the classes of <paramref name="data"/> as imbalanced-learn does (see <see cref="Resampling"/>): the output
    /// holds the feature and label columns (types, slot names and key values kept) — over-sampling: every original row,
    /// then the new rows class by class; under-sampling: the kept rows, class by class in data order; Tomek links: the kept
    /// rows in data order. Deterministic with
    /// <paramref name="seed"/>. Fit only on training data: validation and test data keep their real class balance.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">Training data.</param>
    /// <param name="labelColumnName">The class label (key, Boolean, text or number).</param>
    /// <param name="resampling">The sampler, e.g. <c>Resampling.Smote(5)</c>.</param>
    /// <param name="featureColumnName">A Single or known-size vector of Single column.</param>
    /// <param name="seed">Seed of the random draws.</param>
    public static IDataView Resample(this DataOperationsCatalog catalog, IDataView data, string labelColumnName, Resampling resampling,
        string featureColumnName = "Features", int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(resampling);
        var label = data.Schema.GetColumnOrNull(labelColumnName) ?? throw MlxError.MissingColumn(labelColumnName, data.Schema.Select(c => c.Name), nameof(labelColumnName));
        var method = typeof(ResamplingCatalog).GetMethod(nameof(ResampleTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(label.Type.RawType);
        try
        {
            return (IDataView)method.Invoke(null, [catalog, data, labelColumnName, resampling, featureColumnName, seed])!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static IDataView ResampleTyped<TLabel>(DataOperationsCatalog catalog, IDataView data, string labelColumnName, Resampling resampling, string featureColumnName, int seed)
    {
        var rows = LabeledRows<TLabel>.Read(data, featureColumnName, labelColumnName);
        var counts = rows.RowsOf.Select(r => r.Length).ToArray();
        var random = new Random(seed);
        CheckRatioChangesSomething(rows, counts, resampling.Ratio, over: resampling is not RandomUnderSampling, labelColumnName);
        ResampledRows<TLabel> output;
        switch (resampling)
        {
            case RandomUnderSampling under:
            {
                int minority = counts.Min();
                var targets = counts.Select(n => under.Ratio is double r ? Math.Min(n, (int)(minority / r)) : minority).ToArray();
                output = new ResampledRows<TLabel>(rows, targets.Sum());
                for (int c = 0; c < counts.Length; c++)
                {
                    // A uniform draw without replacement (partial Fisher–Yates), kept in data order.
                    var pool = (int[])rows.RowsOf[c].Clone();
                    for (int i = 0; i < targets[c]; i++)
                    {
                        int j = i + random.Next(pool.Length - i);
                        (pool[i], pool[j]) = (pool[j], pool[i]);
                    }
                    foreach (int row in pool.Take(targets[c]).Order())
                        output.Copy(row);
                }
                break;
            }
            case RandomOverSampling over:
            {
                var extra = Extra(counts, over.Ratio).ToArray();
                output = EveryRowThenRoomFor(rows, extra);
                foreach (var (c, count) in extra)
                    for (int i = 0; i < count; i++)
                        output.Copy(rows.RowsOf[c][random.Next(counts[c])]);
                break;
            }
            case TomekLinksSampling:
            {
                // Each row's nearest row of any class; a link is a pair of different classes nearest to each other.
                var all = Enumerable.Range(0, rows.Count).ToArray();
                var nearest = NearestNeighbors.Within(rows.Features, rows.Dimension, all, 1);
                int minority = Array.IndexOf(counts, counts.Min());
                output = new ResampledRows<TLabel>(rows, rows.Count);
                for (int i = 0; i < rows.Count; i++)
                {
                    int j = nearest[i][0];
                    bool link = rows.Classes[j] != rows.Classes[i] && nearest[j][0] == i;
                    if (!(link && rows.Classes[i] != minority))
                        output.Copy(i);
                }
                break;
            }
            case SmoteNcSampling nc:
            {
                var extra = Extra(counts, nc.Ratio).ToArray();
                output = EveryRowThenRoomFor(rows, extra);
                SmoteNc.Generate(rows, counts, nc, labelColumnName, random, output, extra);
                break;
            }
            case SmoteSampling smote:
            {
                var extra = Extra(counts, smote.Ratio).ToArray();
                output = EveryRowThenRoomFor(rows, extra);
                foreach (var (c, count) in extra)
                {
                    if (counts[c] <= smote.Neighbors)
                    {
                        throw MlxError.CannotFit(labelColumnName, $"class {rows.ClassNames[c]} has {counts[c]} rows, too few for {smote.Neighbors} neighbours each",
                            $"Use Resampling.Smote(neighbors: {Math.Max(1, counts[c] - 1)}) or fewer, or RandomOver for this data.");
                    }
                    var members = rows.RowsOf[c];
                    var neighbors = NearestNeighbors.Within(rows.Features, rows.Dimension, members, smote.Neighbors);
                    AddSmotePoints(rows, members, neighbors, count, random, output);
                }
                break;
            }
            default:
                throw new ArgumentException($"Unknown resampling {resampling}.", nameof(resampling));
        }
        return output.ToDataView(data.Schema[featureColumnName], data.Schema[labelColumnName]);
    }

    // imbalanced-learn's draws: a (row, neighbour) pair uniformly among rows × k, a point uniformly on the segment. The
    // class's rows are first copied together (random reads then hit the cache, not memory). Optimized at once: a
    // resampling runs a few times per process, too few for tiered compilation to reach this loop.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void AddSmotePoints<TLabel>(LabeledRows<TLabel> rows, int[] members, int[][] neighbors, int count, Random random, ResampledRows<TLabel> output)
    {
        int k = neighbors[0].Length, d = rows.Dimension;
        var compact = new float[members.Length * d];
        for (int i = 0; i < members.Length; i++)
            rows.Row(members[i]).CopyTo(compact.AsSpan(i * d, d));
        for (int n = 0; n < count; n++)
        {
            int pick = random.Next(members.Length * k);
            int local = pick / k;
            float step = (float)random.NextDouble();
            var x = compact.AsSpan(local * d, d);
            var y = compact.AsSpan(neighbors[local][pick % k] * d, d);
            var point = output.Add(members[local]);
            for (int j = 0; j < point.Length; j++)
                point[j] = x[j] + step * (y[j] - x[j]);
        }
    }

    // Over-sampling's output so far: every original row, with room for the rows each class grows by.
    private static ResampledRows<TLabel> EveryRowThenRoomFor<TLabel>(LabeledRows<TLabel> rows, (int Class, int Extra)[] extra)
    {
        var output = new ResampledRows<TLabel>(rows, rows.Count + extra.Sum(e => e.Extra));
        output.CopyAll();
        return output;
    }

    // Classes to grow and by how many rows: to the majority's count, or to ratio × the majority's count.
    private static IEnumerable<(int Class, int Extra)> Extra(int[] counts, double? ratio)
    {
        int majority = counts.Max();
        for (int c = 0; c < counts.Length; c++)
        {
            int target = ratio is double r ? Math.Max(counts[c], (int)(r * majority)) : majority;
            if (target > counts[c])
                yield return (c, target - counts[c]);
        }
    }

    /// <summary>
    /// A ratio the classes already exceed would leave the data as it is: imbalanced-learn refuses it, so do we, naming the
    /// class and the ratio it has. Over-sampling: every smaller class at or above r × the majority; under-sampling: the
    /// majority at or below the minority / r.
    /// </summary>
    private static void CheckRatioChangesSomething<TLabel>(LabeledRows<TLabel> rows, int[] counts, double? ratio, bool over, string labelColumnName)
    {
        if (ratio is not double r || counts.Length < 2)
            return;
        int majority = counts.Max(), minority = counts.Min();
        int smallest = Array.IndexOf(counts, minority), largest = Array.IndexOf(counts, majority);
        bool nothing = over ? counts.All(n => n == majority || n >= r * majority) : majority <= minority / r;
        if (!nothing)
            return;
        double current = (double)minority / majority;
        throw new ArgumentOutOfRangeException("ratio", r,
            $"Column '{labelColumnName}': class {rows.ClassNames[smallest]} already has {current:0.###} × the rows of class {rows.ClassNames[largest]} ({minority} to {majority}), " +
            $"so a ratio of {r} would {(over ? "add" : "remove")} nothing. Ask for a ratio above {current:0.###}, or leave the data as it is.");
    }

    /// <summary>
    /// Adds a Single column of scikit-learn's "balanced" class weights, n_rows / (n_classes × n_rows of the row's class),
    /// for trainers that take example weights (Mlx's networks: <c>ExampleWeightColumnName</c>; ML.NET's linear and tree
    /// trainers: <c>exampleWeightColumnName</c>). The counts take one pass; the column is computed lazily.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">Training data.</param>
    /// <param name="labelColumnName">The class label.</param>
    /// <param name="weightColumnName">The added column.</param>
    public static IDataView AddBalancedClassWeights(this DataOperationsCatalog catalog, IDataView data, string labelColumnName, string weightColumnName = "Weight")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var label = ClassLabelColumn.Resolve(data.Schema, labelColumnName);
        var counts = new List<long>();
        long rows = 0;
        using (var cursor = data.GetRowCursor([data.Schema[labelColumnName]]))
        {
            var classOf = label.MakeGetter(cursor);
            while (cursor.MoveNext())
            {
                int code = classOf(rows++);
                while (counts.Count <= code)
                    counts.Add(0);
                counts[code]++;
            }
        }
        if (rows == 0)
            throw MlxError.CannotFit("the data", "it has no rows", "Weight the training data, after any filters.");
        // Indexed by first-appearance code, as the getter hands them out.
        var weights = counts.Select(n => (float)(rows / (double)(counts.Count * n))).ToArray();
        IHostEnvironment host = new MLContext();
        return new BatchedMapDataView(host, data, [new DataViewSchema.DetachedColumn(weightColumnName, NumberDataViewType.Single)],
            [data.Schema[labelColumnName].Index], 1024, (row, capacity) => new ClassWeightBatch(label.MakeGetter(row), weights, capacity));
    }

    /// <summary>Each staged row's class weight.</summary>
    private sealed class ClassWeightBatch(Func<long, int> classOf, float[] weights, int capacity) : IBatchRowMapper
    {
        private readonly float[] _weights = new float[capacity];
        private long _row;

        public void Stage(int index) => _weights[index] = weights[classOf(_row++)];

        public void Run(int count)
        {
        }

        public Delegate GetGetter(int output, Func<int> index) => (ValueGetter<float>)((ref float value) => value = _weights[index()]);

        public void Dispose()
        {
        }
    }
}
