using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Transforms;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Wrapper feature selection: a <see cref="WrapperSearch"/> proposes subsets of the input vector's slots, each is scored by
/// K-fold cross-validation (stratified for Boolean and key labels; the same folds for every subset) of the estimator the
/// caller builds for the candidate column, and the best subset (of the requested size, for sequential searches asked for
/// one; ties: fewer slots, then the first found) is kept. The
/// result is the saveable <see cref="FeatureSelectionTransformer"/> (score of a slot: the best cross-validated metric of a
/// subset containing it, negated when lower is better; NaN if never tried); <see cref="History"/> lists every subset tried
/// with its mean and spread. Candidates of one step are evaluated in parallel unless <c>parallel</c> is false.
/// </summary>
public sealed class WrapperSelectionEstimator : NumericColumnEstimatorBase<FeatureSelectionTransformer>
{
    private const string Candidate = "__MlxCandidate";
    private readonly Func<string, IEstimator<ITransformer>> _model;
    private readonly WrapperSearch _search;
    private readonly WrapperMetric? _metric;
    private readonly string _label;
    private readonly int _folds, _seed;
    private readonly int? _maxEvaluations;
    private readonly TimeSpan? _timeBudget;
    private readonly bool _parallel;
    private readonly IProgress<SubsetEvaluation>? _progress;
    private readonly string? _foldColumn;

    internal WrapperSelectionEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, Func<string, IEstimator<ITransformer>> model,
        WrapperSearch search, WrapperMetric? metric, string labelColumnName, int folds, int seed, int? maxEvaluations, TimeSpan? timeBudget, bool parallel,
        IProgress<SubsetEvaluation>? progress, string? foldColumnName = null)
        : base(env, nameof(WrapperSelectionEstimator), outputColumnName, inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(search);
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        if (maxEvaluations is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations, "Allow at least one evaluation.");
        _model = model;
        _search = search;
        _metric = metric;
        _label = labelColumnName;
        _folds = folds;
        _seed = seed;
        _maxEvaluations = maxEvaluations;
        _timeBudget = timeBudget;
        _parallel = parallel;
        _progress = progress;
        _foldColumn = foldColumnName;
    }

    /// <summary>Every subset the last <see cref="NumericColumnEstimatorBase{T}.Fit"/> tried, in order.</summary>
    public IReadOnlyList<SubsetEvaluation> History { get; private set; } = [];

    /// <summary>Why the last search stopped early ("evaluation budget", "time budget"), or null when it finished.</summary>
    public string? StoppedBy { get; private set; }

    private protected override SchemaShape.Column OutputShape(SchemaShape.Column input) => VectorOutputWithSlotNames();

    private protected override void CheckOtherColumns(SchemaShape inputSchema)
    {
        if (!inputSchema.TryFindColumn(_label, out _))
            throw MlxError.MissingColumn(_label, inputSchema.Select(c => c.Name), "labelColumnName");
    }

    private protected override FeatureSelectionTransformer FitCore(IDataView input, SlotColumn column)
    {
        var labelType = input.Schema.GetColumnOrNull(_label)?.Type ?? throw MlxError.MissingColumn(_label, input.Schema.Select(c => c.Name), "labelColumnName");
        var metric = _metric ?? WrapperMetric.For(labelType);
        double sign = metric.HigherIsBetter ? 1 : -1;
        bool classification = labelType == BooleanDataViewType.Instance || labelType is KeyDataViewType;
        // Every subset must be scored on the same rows: ML.NET's trainers drop rows with NaN features, which would compare
        // subsets on different rows. One pass refuses NaN and infinite values, naming the column, slot and row.
        RowBlockReader.Read(input, column, "wrapper feature selection", _ => { });
        int[] fold;
        int folds = _folds;
        if (_foldColumn != null)
        {
            // The caller's folds (e.g. groups, periods, or another library's split): each distinct value is one fold.
            fold = FoldAssignment.Codes(input, _foldColumn, "foldColumnName", "fold number");
            folds = fold.Max() + 1;
            if (folds < 2)
                throw MlxError.CannotFit(_foldColumn, "it holds a single fold", "Give at least two fold values.");
        }
        else
        {
            var classes = classification ? FoldAssignment.Codes(input, _label, "labelColumnName", "label") : null;
            int rows = classes?.Length ?? checked((int)RowCount.Of(input));
            if (rows < _folds)
                throw MlxError.CannotFit("the data", $"it has {rows} rows for {_folds} folds", "Use fewer folds or more data.");
            fold = FoldAssignment.Assign(classes, null, rows, _folds, new Random(_seed));
        }
        var markers = FoldAssignment.Markers(fold, folds);

        var cache = new ConcurrentDictionary<string, (double Mean, double Std)>();
        var history = new List<SubsetEvaluation>();
        var clock = Stopwatch.StartNew();
        string? stoppedBy = null;
        using var channel = Host.Start("WrapperSelection");
        double[] Score(IReadOnlyList<bool[]> subsets)
        {
            var keys = subsets.Select(Key).ToArray();
            var fresh = keys.Distinct().Where(k => !cache.ContainsKey(k)).ToList();
            if (_maxEvaluations is int max && history.Count + fresh.Count > max)
            {
                fresh = fresh.Take(Math.Max(0, max - history.Count)).ToList();
                stoppedBy ??= "evaluation budget";
            }
            if (_timeBudget is TimeSpan budget && clock.Elapsed > budget)
            {
                fresh.Clear();
                stoppedBy ??= "time budget";
            }
            void Evaluate(string key) => cache[key] = CrossValidate(input, column, Slots(key), markers, metric);
            try
            {
                if (_parallel)
                    Parallel.ForEach(fresh, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Evaluate);
                else
                    fresh.ForEach(Evaluate);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The estimator's own error, as a sequential search would have raised it.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            foreach (var key in fresh)
            {
                var (mean, std) = cache[key];
                var evaluation = new SubsetEvaluation(Slots(key), mean, std, history.Count + 1);
                history.Add(evaluation);
                _progress?.Report(evaluation);
                channel.Trace($"subset {evaluation.Evaluation}: [{string.Join(", ", evaluation.Slots)}] {metric.Name} {mean:G5} ± {std:G3}");
            }
            return keys.Select(k => cache.TryGetValue(k, out var v) ? sign * v.Mean : double.NaN).ToArray();
        }
        _search.Run(column.SlotCount, Score, new Random(_seed));
        History = history;
        StoppedBy = stoppedBy;
        if (history.Count == 0)
            throw MlxError.CannotFit(MlxError.Where(column.Name), "the search evaluated no subset", "Raise maxEvaluations or the time budget.");

        // A search asked for k slots returns the best subset of k slots (scikit-learn's n_features_to_select).
        var eligible = _search.TargetSize is int k && history.Any(h => h.Slots.Count == k) ? history.Where(h => h.Slots.Count == k) : history;
        var best = eligible.OrderByDescending(h => sign * h.Mean).ThenBy(h => h.Slots.Count).ThenBy(h => h.Evaluation).First();
        var scores = Enumerable.Range(0, column.SlotCount)
            .Select(j => history.Where(h => h.Slots.Contains(j)).Select(h => sign * h.Mean).DefaultIfEmpty(double.NaN).Max()).ToArray();
        string method = $"Wrapper({_search.GetType().Name.Replace("Search", "")}, {metric.Name}, {folds}-fold CV, {history.Count} subsets)";
        channel.Info($"{method}: best [{string.Join(", ", best.Slots)}] {metric.Name} {best.Mean:G5} ± {best.StandardDeviation:G3}{(stoppedBy != null ? $"; stopped by the {stoppedBy}" : "")}.");
        return new FeatureSelectionTransformer(Host, OutputColumnName, column, method, scores, null, null, null, best.Slots.ToArray());
    }

    // Mean and sample standard deviation of the metric over the folds, for the candidate subset.
    private (double Mean, double Std) CrossValidate(IDataView input, SlotColumn column, int[] slots, float[][] markers, WrapperMetric metric)
    {
        var selector = new FeatureSelectionTransformer(Host, Candidate, column, "candidate", new double[column.SlotCount], null, null, null, slots);
        var data = selector.Transform(input);
        var values = new double[markers.Length];
        for (int f = 0; f < markers.Length; f++)
        {
            var (train, test) = ValidationCatalog.Split(data, markers[f]);
            var estimator = _model(Candidate)
                ?? throw new InvalidOperationException($"The model factory returned null for the feature column '{Candidate}': return an estimator, e.g. c => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: c).");
            var model = estimator.Fit(train);
            values[f] = metric.Evaluate(model.Transform(test), _label);
            if (!double.IsFinite(values[f]))
            {
                throw new InvalidOperationException(
                    $"The metric {metric.Name} is {values[f]} on fold {f + 1} for the slots [{string.Join(", ", slots)}] of column '{column.Name}': subsets cannot be compared on it. " +
                    "Use a metric defined on every fold (e.g. accuracy when a fold may lack a class), or fewer folds.");
            }
        }
        double mean = values.Average();
        double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return (mean, std);
    }

    private static string Key(bool[] subset) => string.Concat(subset.Select(b => b ? '1' : '0'));

    private static int[] Slots(string key) => Enumerable.Range(0, key.Length).Where(j => key[j] == '1').ToArray();
}
