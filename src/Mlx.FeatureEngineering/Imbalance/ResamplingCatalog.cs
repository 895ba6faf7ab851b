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
        var output = new List<(int Source, float[]? Synthetic)>();
        switch (resampling)
        {
            case RandomUnderSampling under:
            {
                int minority = counts.Min();
                for (int c = 0; c < counts.Length; c++)
                {
                    int target = under.Ratio is double r ? Math.Min(counts[c], (int)(minority / r)) : minority;
                    // A uniform draw without replacement (partial Fisher–Yates), kept in data order.
                    var pool = (int[])rows.RowsOf[c].Clone();
                    for (int i = 0; i < target; i++)
                    {
                        int j = i + random.Next(pool.Length - i);
                        (pool[i], pool[j]) = (pool[j], pool[i]);
                    }
                    output.AddRange(pool.Take(target).Order().Select(i => (i, (float[]?)null)));
                }
                break;
            }
            case RandomOverSampling over:
            {
                output.AddRange(Enumerable.Range(0, rows.Count).Select(i => (i, (float[]?)null)));
                foreach (var (c, extra) in Extra(counts, over.Ratio))
                    for (int i = 0; i < extra; i++)
                        output.Add((rows.RowsOf[c][random.Next(counts[c])], null));
                break;
            }
            case TomekLinksSampling:
            {
                // Each row's nearest row of any class; a link is a pair of different classes nearest to each other.
                var all = Enumerable.Range(0, rows.Count).ToArray();
                var nearest = NearestNeighbors.Within(rows.Features, rows.Dimension, all, 1);
                int minority = Array.IndexOf(counts, counts.Min());
                for (int i = 0; i < rows.Count; i++)
                {
                    int j = nearest[i][0];
                    bool link = rows.Classes[j] != rows.Classes[i] && nearest[j][0] == i;
                    if (!(link && rows.Classes[i] != minority))
                        output.Add((i, null));
                }
                break;
            }
            case SmoteNcSampling nc:
                SmoteNc.Generate(rows, counts, nc, labelColumnName, random, output, Extra(counts, nc.Ratio));
                output.InsertRange(0, Enumerable.Range(0, rows.Count).Select(i => (i, (float[]?)null)));
                break;
            case SmoteSampling smote:
            {
                output.AddRange(Enumerable.Range(0, rows.Count).Select(i => (i, (float[]?)null)));
                foreach (var (c, extra) in Extra(counts, smote.Ratio))
                {
                    if (counts[c] <= smote.Neighbors)
                    {
                        throw MlxError.CannotFit(labelColumnName, $"class {rows.ClassNames[c]} has {counts[c]} rows, too few for {smote.Neighbors} neighbours each",
                            $"Use Resampling.Smote(neighbors: {Math.Max(1, counts[c] - 1)}) or fewer, or RandomOver for this data.");
                    }
                    var members = rows.RowsOf[c];
                    var neighbors = NearestNeighbors.Within(rows.Features, rows.Dimension, members, smote.Neighbors);
                    for (int n = 0; n < extra; n++)
                    {
                        // imbalanced-learn: a (row, neighbour) pair uniformly among rows × k, a point uniformly on the segment.
                        int pick = random.Next(members.Length * smote.Neighbors);
                        int row = members[pick / smote.Neighbors], neighbor = members[neighbors[pick / smote.Neighbors][pick % smote.Neighbors]];
                        float step = (float)random.NextDouble();
                        var x = rows.Row(row);
                        var y = rows.Row(neighbor);
                        var point = new float[rows.Dimension];
                        for (int j = 0; j < point.Length; j++)
                            point[j] = x[j] + step * (y[j] - x[j]);
                        output.Add((row, point));
                    }
                }
                break;
            }
            default:
                throw new ArgumentException($"Unknown resampling {resampling}.", nameof(resampling));
        }
        var features = new float[(long)output.Count * rows.Dimension];
        var labels = new TLabel[output.Count];
        for (int i = 0; i < output.Count; i++)
        {
            var (source, synthetic) = output[i];
            (synthetic ?? rows.Row(source)).CopyTo(features.AsSpan(i * rows.Dimension, rows.Dimension));
            labels[i] = rows.Labels[source];
        }
        return new ResampledDataView<TLabel>(data.Schema[featureColumnName], data.Schema[labelColumnName], features, rows.Dimension, labels);
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
