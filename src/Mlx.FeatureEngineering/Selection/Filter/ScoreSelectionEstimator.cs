using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Numerics;
using Mlx.FeatureEngineering.Selection;
using Mlx.FeatureEngineering.Selection.Filter;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Filter feature selection (scikit-learn's <c>SelectKBest</c>/<c>SelectPercentile</c> with <c>chi2</c>, <c>f_classif</c>,
/// <c>r_regression</c>, <c>mutual_info_classif</c>/<c>mutual_info_regression</c>): scores every slot against the label
/// and keeps the best. Use <see cref="FeatureSelectionCatalog.SelectFeaturesByScore(TransformsCatalog.FeatureSelectionTransforms, ScoreSelectionOptions)"/>.
/// </summary>
/// <remarks>
/// Chi-square, ANOVA F and correlation stream: one pass accumulating per-class sums (or an [x, y] scatter matrix),
/// memory classes × slots. Mutual information needs every value: 8 bytes × rows × slots. For continuous mutual
/// information each column (and a continuous label) is scaled to unit standard deviation and jittered with
/// 1e-10 × max(1, mean |x|) Gaussian noise drawn from <see cref="ScoreSelectionOptions.Seed"/>, as scikit-learn does; the
/// noise generator differs from numpy's, so results agree with scikit-learn within the spread its own seeds show.
/// Rows with NaN are errors.
/// </remarks>
public sealed class ScoreSelectionEstimator : SelectionEstimatorBase
{
    private readonly ScoreSelectionOptions _options;

    internal ScoreSelectionEstimator(IHostEnvironment env, ScoreSelectionOptions options)
        : base(env, nameof(ScoreSelectionEstimator), options.OutputColumnName, options.InputColumnName, options.LabelColumnName,
            options.Count, options.Percentile, options.Threshold)
    {
        if (options.Neighbors < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Neighbors, "Neighbors must be at least 1.");
        _options = options;
    }

    private protected override FeatureSelectionTransformer FitCore(IDataView input, SlotColumn column)
    {
        string method = _options.Scoring.ToString();
        switch (_options.Scoring)
        {
            case FeatureScoring.ChiSquare:
            case FeatureScoring.AnovaF:
            {
                var label = ClassLabelColumn.Resolve(input.Schema, LabelColumnName);
                var sums = ClassSums.Read(input, column, label, squares: _options.Scoring == FeatureScoring.AnovaF, method);
                RequireClasses(label, sums.Rows);
                var (counts, raw, shifted, squares) = sums.InClassOrder(label.ClassOf());
                if (_options.Scoring == FeatureScoring.ChiSquare)
                {
                    for (int j = 0; j < column.SlotCount; j++)
                    {
                        if (sums.Min[j] < 0)
                        {
                            throw MlxError.BadValue(column.Where(j, ClassSums.RowOfMinimum(input, column, j, sums.Min[j])), sums.Min[j], "chi-square needs non-negative features (counts, frequencies, indicators)",
                                "Scale to [0, 1] first (mlContext.Transforms.NormalizeMinMax), or use FeatureScoring.AnovaF.");
                        }
                    }
                    var (chi2, p) = FilterStatistics.ChiSquare(counts, raw);
                    return Build(column, method, chi2, p);
                }
                var (f, pf) = FilterStatistics.AnovaF(counts, shifted, squares);
                return Build(column, method, f, pf);
            }
            case FeatureScoring.Correlation:
            {
                var (scatter, rows) = TargetScatter.Read(input, column, LabelColumnName, method);
                if (rows < 3)
                    throw MlxError.CannotFit(MlxError.Where(column.Name), $"correlation needs at least 3 rows but got {rows}", "Fit on more data.");
                var (r, p) = FilterStatistics.Correlation(scatter.Scatter(), rows);
                // Rank by |r|, report r itself as the coefficient.
                return Build(column, method, r.Select(Math.Abs).ToArray(), p, coefficients: r);
            }
            default:
                return FitMutualInformation(input, column);
        }
    }

    private FeatureSelectionTransformer FitMutualInformation(IDataView input, SlotColumn column)
    {
        var schemaLabel = input.Schema.GetColumnOrNull(LabelColumnName)
            ?? throw MlxError.MissingColumn(LabelColumnName, input.Schema.Select(c => c.Name), "labelColumnName");
        bool regression = schemaLabel.Type == Microsoft.ML.Data.NumberDataViewType.Single || schemaLabel.Type == Microsoft.ML.Data.NumberDataViewType.Double;
        var classLabel = regression ? null : ClassLabelColumn.Resolve(input.Schema, LabelColumnName);
        var target = regression ? NumericLabelColumn.Resolve(input.Schema, LabelColumnName) : null;

        int d = column.SlotCount;
        var columns = Enumerable.Range(0, d).Select(_ => new List<double>()).ToArray();
        var labels = new List<int>();
        var targets = new List<double>();
        long rows = RowBlockReader.Read(input, column, "MutualInformation", block =>
        {
            for (int j = 0; j < d; j++)
                columns[j].AddRange(block.Column(j));
            if (regression)
                targets.AddRange(block.Targets.AsSpan(0, block.Rows));
            else
                labels.AddRange(block.Labels.AsSpan(0, block.Rows));
        }, classLabel, target);
        if (rows < _options.Neighbors + 1)
            throw MlxError.CannotFit(MlxError.Where(column.Name), $"mutual information needs more than {_options.Neighbors} rows but got {rows}", "Fit on more data.");

        var random = new Random(_options.Seed);
        var x = columns.Select(c => c.ToArray()).ToArray();
        if (!_options.DiscreteFeatures)
        {
            foreach (var c in x)
                ScaleAndJitter(c, random);
        }
        double[]? y = null;
        int[]? classes = null;
        int classCount = 0;
        if (regression)
        {
            y = targets.ToArray();
            ScaleAndJitter(y, random);
        }
        else
        {
            RequireClasses(classLabel!, rows);
            var rank = classLabel!.ClassOf();
            classes = labels.Select(l => rank[l]).ToArray();
            classCount = classLabel.ClassCount;
        }

        var scores = new double[d];
        Parallel.For(0, d, j =>
        {
            if (_options.DiscreteFeatures)
            {
                var (codes, levels) = Codes(x[j]);
                scores[j] = regression
                    ? MutualInformation.ContinuousVsDiscrete(y, codes, levels, _options.Neighbors)
                    : MutualInformation.Discrete(codes, levels, classes, classCount);
            }
            else
            {
                scores[j] = regression
                    ? MutualInformation.ContinuousVsContinuous(x[j], y, _options.Neighbors)
                    : MutualInformation.ContinuousVsDiscrete(x[j], classes, classCount, _options.Neighbors);
            }
        });
        string kind = (_options.DiscreteFeatures ? "discrete" : "continuous") + (regression ? ", continuous label" : ", classes");
        return Build(column, $"MutualInformation ({kind})", scores, pValues: null);
    }

    /// <summary>scikit-learn: x ← x / std(x) (ddof 0; a zero std leaves x), then x += 1e-10·max(1, mean|x|)·N(0, 1).</summary>
    private static void ScaleAndJitter(double[] x, Random random)
    {
        double mean = x.Average();
        double std = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        if (std > 0)
        {
            for (int i = 0; i < x.Length; i++)
                x[i] /= std;
        }
        double amplitude = 1e-10 * Math.Max(1.0, x.Average(Math.Abs));
        for (int i = 0; i < x.Length; i++)
            x[i] += amplitude * Gaussian(random);
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Codes 0..levels−1 of the distinct values (in order of first appearance).</summary>
    private static (int[] Codes, int Levels) Codes(double[] values)
    {
        var map = new Dictionary<double, int>();
        var codes = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!map.TryGetValue(values[i], out int code))
                map[values[i]] = code = map.Count;
            codes[i] = code;
        }
        return (codes, map.Count);
    }

    private void RequireClasses(ClassLabelColumn label, long rows)
    {
        if (label.ClassCount < 2)
        {
            throw MlxError.CannotFit(MlxError.Where(LabelColumnName),
                rows == 0 ? $"{_options.Scoring} got no rows to fit on" : $"{_options.Scoring} needs at least 2 classes but the label has only '{label.Classes[0]}'",
                "Fit on data that contains every class.");
        }
    }
}
