using System.Diagnostics;
using Microsoft.ML;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>
/// Step 6 of the book: a first model that beats the baseline (a linear model and a small network), then bigger networks
/// (wider, deeper) while they improve the validation metric — scaling up until the model overfits — then the best
/// network regularized (dropout, L2) and tuned (learning rate), then gradient-boosted trees as time allows. Every candidate is fitted on
/// every fold of the protocol; candidates that would not fit in the time budget are skipped and reported.
/// </summary>
internal sealed class ModelSearch
{
    /// <summary>Epochs without a lower validation loss before a network stops (Keras' EarlyStopping patience).</summary>
    public const int Patience = 10;

    private readonly TaskHead _head;
    private readonly int _inputs;
    private readonly IReadOnlyList<PreparedFold> _folds;
    private readonly SuccessMetric _metric;
    private readonly double _baseline;
    private readonly WorkflowOptions _options;
    private readonly Func<TimeSpan> _elapsed;
    private readonly Action<string> _report;
    private readonly List<CandidateResult> _results = [];
    private readonly List<(CandidateSpec Spec, string Reason)> _skipped = [];
    private double? _treesEstimate;

    /// <param name="head">The task.</param>
    /// <param name="folds">The prepared folds.</param>
    /// <param name="inputs">Slots of the feature vector (for the cost estimates).</param>
    /// <param name="metric">The success metric.</param>
    /// <param name="baseline">The baseline's validation value.</param>
    /// <param name="options">Budget, seed, epochs.</param>
    /// <param name="elapsed">Time since the run started.</param>
    /// <param name="report">Where each candidate's line goes.</param>
    public ModelSearch(TaskHead head, IReadOnlyList<PreparedFold> folds, int inputs, SuccessMetric metric, double baseline, WorkflowOptions options,
        Func<TimeSpan> elapsed, Action<string> report)
    {
        _head = head;
        _inputs = inputs;
        _folds = folds;
        _metric = metric;
        _baseline = baseline;
        _options = options;
        _elapsed = elapsed;
        _report = report;
    }

    /// <summary>Every candidate evaluated, in order.</summary>
    public IReadOnlyList<CandidateResult> Results => _results;

    /// <summary>Candidates left out by the time budget.</summary>
    public IReadOnlyList<(CandidateSpec Spec, string Reason)> Skipped => _skipped;

    /// <summary>Runs the schedule; the time to keep for the final retraining is estimated from the candidates' fits.</summary>
    public CandidateResult Run()
    {
        // First models: the simplest that could beat the baseline.
        Try(new CandidateSpec("linear", CandidateKind.Linear, "first model", []), always: true);
        var small = Try(new CandidateSpec("dense-16", CandidateKind.Network, "first model", [16]), always: true);
        // Boosted trees (often the strongest on small tabular data): their cost is measured now, while the probe's few
        // seconds are cheap; cheap trees (under 15 % of the budget) run now, others last, as time allows.
        var trees = new CandidateSpec("trees", CandidateKind.Trees, "other family", []);
        if (_head.Tree() is not null && Remaining() > FinalReserve())
            _treesEstimate = ProbeTrees();
        if (_treesEstimate < 0.15 * _options.TimeBudget.TotalSeconds)
            Try(trees);

        // Scale up (wider, then deeper) while the validation metric improves.
        var bestNetwork = small;
        foreach (var units in new[] { new[] { 64, 64 }, new[] { 256, 256 }, new[] { 256, 256, 256 } })
        {
            var bigger = Try(new CandidateSpec("dense-" + string.Join("-", units), CandidateKind.Network, "scale up", units));
            if (bigger is null)
                break;
            if (bestNetwork is not null && !_metric.IsBetter(bigger.Mean, bestNetwork.Mean))
            {
                _report($"{bigger.Spec.Name} does not beat {bestNetwork.Spec.Name}: capacity is enough, it {(bigger.Overfits ? "overfits" : "gains nothing")}; stop scaling up");
                break;
            }
            bestNetwork = bigger;
        }

        // Regularize and tune the best network.
        if (bestNetwork is not null)
        {
            var s = bestNetwork.Spec;
            foreach (var spec in new[]
            {
                s with { Name = s.Name + "+dropout0.3", Stage = "regularize", Dropout = 0.3 },
                s with { Name = s.Name + "+dropout0.5", Stage = "regularize", Dropout = 0.5 },
                s with { Name = s.Name + "+l2", Stage = "regularize", L2 = 1e-3 },
            })
            {
                var result = Try(spec);
                if (result is not null && _metric.IsBetter(result.Mean, bestNetwork.Mean))
                    bestNetwork = result;
            }
            s = bestNetwork.Spec;
            foreach (var factor in new[] { 0.3, 3.0 })
            {
                var result = Try(s with { Name = $"{s.Name}+lr{s.LearningRate * factor:0.####}", Stage = "tune", LearningRate = s.LearningRate * factor });
                if (result is not null && _metric.IsBetter(result.Mean, bestNetwork.Mean))
                    bestNetwork = result;
            }
        }
        if (!_results.Any(r => r.Spec.Kind == CandidateKind.Trees))
            Try(trees);
        return Choose();
    }

    /// <summary>
    /// The one-standard-error rule (Breiman et al. 1984; Hastie et al., ESL 7.10): the simplest candidate whose
    /// validation mean is within one standard error (SD / √fits) of the best mean — differences smaller than the
    /// validation noise do not buy a bigger model. Simplest: linear, then networks by weights, then trees; among
    /// candidates of the same size (regularized or tuned variants of one architecture) the best mean, then the earlier.
    /// </summary>
    private CandidateResult Choose()
    {
        var best = _results.Aggregate((a, b) => _metric.IsBetter(b.Mean, a.Mean) ? b : a);
        double standardError = best.StandardDeviation / Math.Sqrt(Math.Max(1, best.FoldValues.Count));
        var chosen = _results
            .Where(r => Math.Abs(r.Mean - best.Mean) <= standardError || r == best)
            .OrderBy(Complexity)
            .ThenBy(r => _metric.HigherIsBetter ? -r.Mean : r.Mean)
            .ThenBy(r => _results.IndexOf(r))
            .First();
        ChoiceReason = chosen == best
            ? $"the best validation {_metric.Name}"
            : $"the simplest within one standard error ({standardError:0.####}) of the best, {best.Spec.Name} ({best.Mean:0.####})";
        return chosen;
    }

    /// <summary>Why <see cref="Run"/> chose its candidate.</summary>
    public string ChoiceReason { get; private set; } = "";

    private double Complexity(CandidateResult r) => r.Spec.Kind switch
    {
        CandidateKind.Linear => 0,
        CandidateKind.Network => r.Spec.Weights(_inputs),
        _ => double.PositiveInfinity,
    };

    private CandidateResult? Try(CandidateSpec spec, bool always = false)
    {
        if (_results.Any(r => r.Spec == spec))
            return _results.First(r => r.Spec == spec);
        if (spec.Kind == CandidateKind.Trees && _head.Tree() is null)
        {
            _skipped.Add((spec, $"ML.NET has no boosted-trees trainer for {_head.Kind}"));
            return null;
        }
        if (!always)
        {
            var estimate = spec.Kind != CandidateKind.Trees ? Estimate(spec) : _treesEstimate ?? double.PositiveInfinity;
            var remaining = Remaining();
            if (estimate + FinalReserve() > remaining)
            {
                _skipped.Add((spec, double.IsPositiveInfinity(estimate)
                    ? "no time left to time them"
                    : $"about {estimate:0} s of fits and {FinalReserve():0} s to retrain would exceed the {remaining:0} s left of the budget"));
                _report($"skip {spec.Name}: not enough time left");
                return null;
            }
        }
        var result = Evaluate(spec, always);
        if (result is null)
            return null;
        _results.Add(result);
        _report($"{spec.Name} ({spec.Describe()}): {_metric.Name} {result.Mean:0.####} ± {result.StandardDeviation:0.####} (training {result.TrainingMean:0.####})"
            + (result.BestEpoch is { } e ? $", best epoch {e}{(result.Overfits ? ", overfits" : "")}" : "") + $", {result.Seconds:0.0} s"
            + (result.BeatsBaseline ? "" : " — does not beat the baseline"));
        return result;
    }

    /// <summary>
    /// Seconds the candidate's fits should take, from the most similar candidate evaluated: a network's time grows with
    /// its weights (on a wide input the first layer's dominate), a smaller learning rate needs more epochs.
    /// </summary>
    private double Estimate(CandidateSpec spec)
    {
        var same = _results.Where(r => r.Spec.Kind == spec.Kind).ToArray();
        if (same.Length == 0)
            return _results.Count == 0 ? 0 : _results.Max(r => r.Seconds);
        var nearest = same.OrderBy(r => Math.Abs(Math.Log(r.Spec.Weights(_inputs) / spec.Weights(_inputs)))).First();
        // A step costs a fixed overhead (about as much as 50,000 multiply-adds on 2 cores) plus its weights' products.
        const double overhead = 50_000;
        double ratio = spec.Kind == CandidateKind.Network ? Math.Max(1, (overhead + spec.Weights(_inputs)) / (overhead + nearest.Spec.Weights(_inputs))) : 1;
        // A smaller learning rate needs more epochs to reach its best.
        double slower = spec.LearningRate < nearest.Spec.LearningRate ? nearest.Spec.LearningRate / spec.LearningRate : 1;
        return nearest.Seconds * ratio * Math.Min(3, slower);
    }

    private double Remaining() => (_options.TimeBudget - _elapsed()).TotalSeconds;

    /// <summary>
    /// Boosted trees cost what the data make them cost (rows × slots × classes), which no network tells: fits of 4 and 8
    /// trees on the first fold give a fixed cost (binning the features, calibration) and a cost per tree, scaled to
    /// 100 trees on every fold.
    /// </summary>
    private double ProbeTrees()
    {
        double Time(int trees)
        {
            var watch = Stopwatch.StartNew();
            var probe = _head.Tree(trees)!.Fit(_folds[0].Train);
            (probe as IDisposable)?.Dispose();
            return watch.Elapsed.TotalSeconds;
        }
        double four = Time(4), eight = Time(8);
        double perTree = Math.Max(0, (eight - four) / 4), fixedCost = Math.Max(0, four - 4 * perTree);
        return (fixedCost + TaskHead.Trees * perTree) * _folds.Count;
    }

    /// <summary>Seconds to keep for retraining the slowest candidate so far on all development rows.</summary>
    private double FinalReserve() => _results.Count == 0 ? 0 : _results.Max(r => r.Seconds / Math.Max(1, r.FoldValues.Count)) * 1.5;

    /// <summary>
    /// Fits the candidate on every fold. Unless it must run, it is abandoned (null, reported as skipped) as soon as the
    /// folds still to fit, at the pace of those done, would leave no time to retrain: an estimate can be wrong, the
    /// budget cannot.
    /// </summary>
    private CandidateResult? Evaluate(CandidateSpec spec, bool always)
    {
        var watch = Stopwatch.StartNew();
        var values = new List<double>();
        var training = new List<double>();
        var bestEpochs = new List<int>();
        int stoppedEarly = 0;
        IReadOnlyList<CurvePoint> curve = [];
        for (int f = 0; f < _folds.Count; f++)
        {
            var fold = _folds[f];
            var model = Build(spec, fold, _options.Seed + f).Fit(fold.Train);
            try
            {
                values.Add(_head.Evaluate(model.Transform(fold.Validation))[_metric.Name]);
                training.Add(_head.Evaluate(model.Transform(fold.Train))[_metric.Name]);
                if (model is NeuralNetworkModel network)
                {
                    var history = network.History;
                    int best = history.RestoredEpoch ?? history.Epochs.Count;
                    bestEpochs.Add(best);
                    if (history.StopReason.StartsWith("early stopping", StringComparison.Ordinal))
                        stoppedEarly++;
                    if (f == 0)
                        curve = history.Epochs.Select(e => new CurvePoint(e.Epoch, e.Loss, e.ValidationLoss, e.Metric, e.ValidationMetric)).ToArray();
                }
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
            double projected = watch.Elapsed.TotalSeconds / (f + 1) * (_folds.Count - f - 1);
            if (!always && f + 1 < _folds.Count && projected + FinalReserve() > Remaining())
            {
                _skipped.Add((spec, $"stopped after {f + 1} of {_folds.Count} fits ({watch.Elapsed.TotalSeconds:0} s): the rest would take about {projected:0} s of the {Remaining():0} s left of the budget"));
                _report($"stop {spec.Name} after {f + 1} of {_folds.Count} fits: not enough time left");
                return null;
            }
        }
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new CandidateResult(spec, mean, sd, training.Average(), values, watch.Elapsed.TotalSeconds,
            bestEpochs.Count > 0 ? (int)Math.Round(bestEpochs.Average()) : null, bestEpochs.Count > 0 && stoppedEarly * 2 > bestEpochs.Count, curve)
        {
            BeatsBaseline = _metric.IsBetter(mean, _baseline),
        };
    }

    /// <summary>The estimator of a candidate: with the fold's validation rows for early stopping, or (fold null) for the final fit with a fixed epoch count.</summary>
    public IEstimator<ITransformer> Build(CandidateSpec spec, PreparedFold? fold, int seed, int? epochs = null, int? trainingRows = null) => spec.Kind switch
    {
        // A task without an ML.NET linear trainer gets the same model as a network without hidden layers.
        CandidateKind.Linear => _head.Linear() ?? Network(spec, fold, seed, epochs, trainingRows),
        CandidateKind.Trees => _head.Tree() ?? throw new InvalidOperationException($"{_head.Kind} has no tree trainer."),
        _ => Network(spec, fold, seed, epochs, trainingRows),
    };

    private IEstimator<ITransformer> Network(CandidateSpec spec, PreparedFold? fold, int seed, int? epochs, int? trainingRows) =>
        _head.Network(new NeuralNetworkOptions
        {
            LabelColumnName = TaskHead.LabelColumn,
            FeatureColumnName = TaskHead.FeatureColumn,
            Layers = spec.Layers(),
            Optimizer = Optimizer.RmsProp(spec.LearningRate),
            Epochs = epochs ?? _options.MaxEpochs,
            BatchSize = (fold?.TrainRows ?? trainingRows ?? 0) < 2_000 ? 32 : 128,
            ValidationData = fold?.Validation,
            EarlyStopping = fold is null ? null : new EarlyStopping { Patience = Patience, RestoreBestWeights = true },
            Seed = seed,
        });
}
