using System.Diagnostics;
using Microsoft.ML;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>
/// Step 6 of the book: a first model that beats the baseline (a linear model along its regularization path), boosted
/// trees, the smallest network, two more tree settings, a random forest where rows are few, then bigger networks (wider,
/// deeper) while they improve the validation metric — scaling up until the model overfits — then the best network
/// regularized (dropout, L2) and tuned (learning rate), and the random forest on long data. Every candidate is fitted on every fold of the protocol.
/// The schedule is deterministic for a seed: which candidate comes next depends on validation results only, never on
/// time. The budget only stops it — before a candidate whose estimated cost (measured throughput of its kind) exceeds
/// the time left, or during one, whose fits are stopped (a network by its StopToken, an ML.NET trainer by cancelling
/// the context it runs on) — and the report says where.
/// </summary>
internal sealed class ModelSearch
{
    /// <summary>Epochs without a lower validation loss before a network stops (Keras' EarlyStopping patience).</summary>
    public const int Patience = 10;

    /// <summary>A network step's fixed cost in multiply-adds (about 50,000 on 2 cores), next to its weights' products.</summary>
    private const double StepOverhead = 50_000;

    private readonly TaskHead _head;
    private readonly int _inputs;
    private readonly IReadOnlyList<PreparedFold> _folds;
    private readonly int _developmentRows;
    private readonly SuccessMetric _metric;
    private readonly double _baseline;
    private readonly WorkflowOptions _options;
    private readonly Func<TimeSpan> _elapsed;
    private readonly Action<string> _report;
    private readonly List<CandidateResult> _results = [];
    private readonly List<(CandidateSpec Spec, string Reason)> _skipped = [];
    private string? _treesUnavailable;
    private readonly bool _hasLinearTrainer;
    private readonly bool _hasForest;

    /// <param name="head">The task.</param>
    /// <param name="folds">The prepared folds.</param>
    /// <param name="inputs">Slots of the feature vector (for the cost estimates).</param>
    /// <param name="developmentRows">Rows of the final retraining (for the time it needs).</param>
    /// <param name="metric">The success metric.</param>
    /// <param name="baseline">The baseline's validation value.</param>
    /// <param name="options">Budget, seed, epochs.</param>
    /// <param name="elapsed">Time since the run started.</param>
    /// <param name="report">Where each candidate's line goes.</param>
    public ModelSearch(TaskHead head, IReadOnlyList<PreparedFold> folds, int inputs, int developmentRows, SuccessMetric metric, double baseline,
        WorkflowOptions options, Func<TimeSpan> elapsed, Action<string> report)
    {
        _head = head;
        _inputs = inputs;
        _folds = folds;
        _developmentRows = developmentRows;
        _metric = metric;
        _baseline = baseline;
        _options = options;
        _elapsed = elapsed;
        _report = report;
        // Asked once: a head answers by building a trainer, and the search needs the answer for every fit.
        _hasLinearTrainer = head.Linear(new MLContext(0), 0) is not null;
        _hasForest = head.Forest(new MLContext(0), 0, inputs) is not null;
    }

    /// <summary>Every candidate evaluated, in order.</summary>
    public IReadOnlyList<CandidateResult> Results => _results;

    /// <summary>Candidates of the schedule not evaluated, with the reason (no trainer for the task, or the budget).</summary>
    public IReadOnlyList<(CandidateSpec Spec, string Reason)> Skipped => _skipped;

    /// <summary>Where the time budget stopped the schedule ("at dense-256-256: …"), or null when it ran to its end.</summary>
    public string? BudgetStop { get; private set; }

    /// <summary>Runs the schedule and chooses by the one-standard-error rule.</summary>
    public CandidateResult Run()
    {
        // First model: the simplest that could beat the baseline; always evaluated, whatever the budget. Its penalty is
        // then followed along the path (x0.1, x10) while validation improves: wide sparse text wants another than 1.
        var linear = Try(new CandidateSpec("linear", CandidateKind.Linear, "first model", [], L2: _hasLinearTrainer ? 1 : 0), always: true)!;
        if (_hasLinearTrainer)
        {
            var bestLinear = linear;
            foreach (var factor in new[] { 0.1, 10 })
            {
                for (double l2 = factor; l2 is >= 1e-4 and <= 1e3; l2 *= factor)
                {
                    var step = Try(linear.Spec with { Name = $"linear-l2-{l2:0.####}", Stage = "regularization path", L2 = l2 });
                    if (step is null || !_metric.IsBetter(step.Mean, bestLinear.Mean))
                        break;
                    bestLinear = step;
                }
            }
        }

        // Boosted trees (often the strongest on tabular data), the smallest network, then smaller and bigger trees at a
        // lower learning rate (cheap next to the bigger networks, which come last).
        var trees = Try(Trees("trees", 31, 0.1, "other family"));
        var bestNetwork = Try(new CandidateSpec("dense-16", CandidateKind.Network, "first model", [16]));
        if (trees is not null)
        {
            foreach (var (leaves, rate) in new[] { (7, 0.05), (63, 0.05) })
                Try(Trees($"trees-{leaves}leaves", leaves, rate, "tune trees"));
        }
        // A random forest: strong where rows are few, and cheap there, so it comes before the bigger networks (which
        // would otherwise spend the budget first); on long data, where boosting has covered trees, it comes last.
        var forest = new CandidateSpec("forest", CandidateKind.Forest, "other family", []);
        bool smallForest = (double)_developmentRows * _head.TreesPerRound <= SmallForestRows;
        if (_hasForest && smallForest)
            Try(forest);
        if (bestNetwork is not null)
        {
            // Scale up (wider, then deeper) while the validation metric improves.
            foreach (var units in new[] { new[] { 64, 64 }, new[] { 256, 256 }, new[] { 256, 256, 256 } })
            {
                var bigger = Try(new CandidateSpec("dense-" + string.Join("-", units), CandidateKind.Network, "scale up", units));
                if (bigger is null)
                    break;
                if (!_metric.IsBetter(bigger.Mean, bestNetwork.Mean))
                {
                    _report($"{bigger.Spec.Name} does not beat {bestNetwork.Spec.Name}: capacity is enough, it {(bigger.Overfits ? "overfits" : "gains nothing")}; stop scaling up");
                    break;
                }
                bestNetwork = bigger;
            }

            // Regularize and tune the best network.
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
        if (_hasForest && !smallForest)
            Try(forest);
        return Choose();
    }

    private static CandidateSpec Trees(string name, int leaves, double learningRate, string stage) =>
        new(name, CandidateKind.Trees, stage, [], LearningRate: learningRate, Leaves: leaves);

    /// <summary>
    /// The one-standard-error rule (Breiman et al. 1984; Hastie et al., ESL 7.10): the simplest candidate whose
    /// validation mean is within one standard error (SD / √fits) of the best mean — differences smaller than the
    /// validation noise do not buy a bigger model. Simplest: the fewest fitted numbers (<see cref="Complexity"/>); among
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

    /// <summary>
    /// How many numbers a candidate fits, to compare sizes across families: a linear model counts as the smallest; a
    /// network its weights; a tree of L leaves 3L − 2 numbers (a feature and a threshold per split, a value per leaf),
    /// times the trees — boosted trees' mean best round, a forest's trees, each times <see cref="TaskHead.TreesPerRound"/>;
    /// a forest's trees hold at most one leaf per <see cref="TaskHead.ForestLeafRows"/> sampled rows.
    /// </summary>
    private double Complexity(CandidateResult r)
    {
        static double TreeNumbers(double leaves) => 3 * leaves - 2;
        switch (r.Spec.Kind)
        {
            case CandidateKind.Linear:
                return 0;
            case CandidateKind.Network:
                return r.Spec.Weights(_inputs);
            case CandidateKind.Trees:
                return r.BestRounds is { } rounds ? rounds * _head.TreesPerRound * TreeNumbers(r.Spec.Leaves) : double.PositiveInfinity;
            default:
                double leaves = Math.Min(TaskHead.ForestLeaves, Math.Max(1, _folds.Average(f => (double)f.TrainRows) * ForestSampledShare / _head.ForestLeafRows));
                return TaskHead.ForestTrees * _head.TreesPerRound * TreeNumbers(leaves);
        }
    }

    /// <summary>Share of the training rows each FastForest tree samples (its default bagging fraction).</summary>
    private const double ForestSampledShare = 0.7;

    /// <summary>Development rows times <see cref="TaskHead.TreesPerRound"/> up to which the forest comes early in the schedule.</summary>
    private const double SmallForestRows = 20_000;

    private CandidateResult? Try(CandidateSpec spec, bool always = false)
    {
        if (_results.FirstOrDefault(r => r.Spec == spec) is { } done)
            return done;
        if (spec.Kind == CandidateKind.Trees && (!_head.HasTrees || _treesUnavailable is not null))
        {
            _skipped.Add((spec, _treesUnavailable ?? $"ML.NET has no boosted-trees trainer for {_head.Kind}"));
            return null;
        }
        if (BudgetStop is not null)
        {
            _skipped.Add((spec, $"not reached: the time budget stopped the schedule {BudgetStop}"));
            return null;
        }
        double left = SearchSecondsLeft();
        if (!always && Estimate(spec) is { } estimate && estimate > left)
            return StopSchedule(spec, $"its fits would take about {estimate:0} s and {Math.Max(0, left):0} s are left for the search");
        var (result, stopped) = Evaluate(spec, always ? null : left);
        if (result is null)
        {
            if (spec.Kind == CandidateKind.Trees && _treesUnavailable is not null)
            {
                _skipped.Add((spec, _treesUnavailable));
                _report($"skip {spec.Name}: {_treesUnavailable}");
                return null;
            }
            return StopSchedule(spec, stopped!);
        }
        _results.Add(result);
        _report($"{spec.Name} ({spec.Describe()}): {_metric.Name} {result.Mean:0.####} ± {result.StandardDeviation:0.####} (training {result.TrainingMean:0.####})"
            + (result.BestEpoch is { } e ? $", best epoch {e}{(result.Overfits ? ", overfits" : "")}" : "")
            + (result.BestRounds is { } rounds ? $", best round {rounds}" : "") + $", {result.Seconds:0.0} s"
            + (result.BeatsBaseline ? "" : " — does not beat the baseline"));
        return result;
    }

    /// <summary>The budget ends the schedule here: this and every later candidate are reported as not evaluated.</summary>
    private CandidateResult? StopSchedule(CandidateSpec spec, string reason)
    {
        BudgetStop = $"at {spec.Name} ({_results.Count} candidates evaluated): {reason}";
        _skipped.Add((spec, $"time budget: {reason}"));
        _report($"the time budget stops the schedule at {spec.Name}: {reason}");
        return null;
    }

    /// <summary>
    /// Seconds the candidate's fits should take, from the measured throughput of its kind (null when none of its kind
    /// ran yet: it then runs, stoppable, to be measured). Networks: seconds per epoch and per multiply-add of a step
    /// (weights plus a fixed overhead) times the epochs the networks ran (more at a smaller learning rate). Trees:
    /// seconds per round of the nearest tree setting, per leaf, times its rounds (more at a smaller learning rate).
    /// Linear models: the slowest so far.
    /// </summary>
    private double? Estimate(CandidateSpec spec)
    {
        var same = _results.Where(r => r.Spec.Kind == spec.Kind).ToArray();
        if (same.Length == 0)
            return null;
        switch (spec.Kind)
        {
            case CandidateKind.Trees:
            {
                var nearest = same.OrderBy(r => Math.Abs(Math.Log((double)r.Spec.Leaves / spec.Leaves))).First();
                double perLeaf = Math.Max(0.25, (double)spec.Leaves / nearest.Spec.Leaves);
                double moreRounds = Math.Clamp(nearest.Spec.LearningRate / spec.LearningRate, 1, 4);
                return nearest.Seconds * perLeaf * moreRounds;
            }
            case CandidateKind.Network:
            {
                double secondsPerProduct = same.Sum(r => r.Seconds) / same.Sum(r => r.Iterations * (StepOverhead + r.Spec.Weights(_inputs)));
                double epochsPerFold = same.Max(r => (double)r.Iterations / r.FoldValues.Count);
                double slower = same.Min(r => r.Spec.LearningRate) > spec.LearningRate ? Math.Min(3, same.Min(r => r.Spec.LearningRate) / spec.LearningRate) : 1;
                return secondsPerProduct * (StepOverhead + spec.Weights(_inputs)) * Math.Min(_options.MaxEpochs, epochsPerFold * slower) * _folds.Count;
            }
            default:
                return same.Max(r => r.Seconds);
        }
    }

    /// <summary>Seconds of the budget left for evaluating candidates: what remains after keeping the <see cref="Reserve"/>.</summary>
    private double SearchSecondsLeft() => (_options.TimeBudget - _elapsed()).TotalSeconds - Reserve();

    /// <summary>
    /// Seconds kept for step 7: retraining the costliest candidate so far on all development rows (its time per fold
    /// scaled by the rows, with a 20 % margin) plus the test evaluation and report (2 % of the budget, at least 2 s).
    /// </summary>
    private double Reserve() =>
        Math.Max(2, 0.02 * _options.TimeBudget.TotalSeconds) + (_results.Count == 0 ? 0 : _results.Max(r => RetrainSeconds(r.Seconds, r.FoldValues.Count)));

    private double RetrainSeconds(double seconds, int folds) =>
        seconds / folds * _developmentRows / _folds.Average(f => (double)f.TrainRows) * 1.2;

    /// <summary>
    /// Fits the candidate on every fold. With <paramref name="secondsLeft"/> (all but the first model) its fits are
    /// stopped when that time runs out, and it is abandoned as soon as the folds still to fit, at the pace of those
    /// done, and its own retraining would not fit in it: the result is then null with the reason.
    /// </summary>
    private (CandidateResult? Result, string? Stopped) Evaluate(CandidateSpec spec, double? secondsLeft)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = secondsLeft is { } limit ? new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(0.001, limit))) : null;
        var token = deadline?.Token ?? CancellationToken.None;
        var values = new List<double>();
        var training = new List<double>();
        var bestEpochs = new List<int>();
        var bestRounds = new List<int>();
        int stoppedEarly = 0, iterations = 0;
        IReadOnlyList<CurvePoint> curve = [];
        for (int f = 0; f < _folds.Count; f++)
        {
            var fold = _folds[f];
            var fit = Fit(spec, fold, _options.Seed + f, token);
            if (fit is not var (model, rounds))
                return (null, _treesUnavailable ?? $"stopped during fit {f + 1} of {_folds.Count}, {watch.Elapsed.TotalSeconds:0} s in, when the {secondsLeft:0} s left for the search ran out");
            try
            {
                values.Add(_head.Evaluate(model.Transform(fold.Validation))[_metric.Name]);
                training.Add(_head.Evaluate(model.Transform(fold.Train))[_metric.Name]);
                if (rounds is { } r)
                {
                    bestRounds.Add(r.Best);
                    iterations += r.Run;
                }
                if (model is NeuralNetworkModel network)
                {
                    var history = network.History;
                    int best = history.RestoredEpoch ?? history.Epochs.Count;
                    bestEpochs.Add(best);
                    iterations += history.Epochs.Count;
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
            double retrain = RetrainSeconds(watch.Elapsed.TotalSeconds, f + 1);
            if (secondsLeft is { } left && f + 1 < _folds.Count && projected + retrain > left - watch.Elapsed.TotalSeconds)
                return (null, $"stopped after {f + 1} of {_folds.Count} fits ({watch.Elapsed.TotalSeconds:0} s): the rest and its retraining would take about {projected + retrain:0} s of the {left - watch.Elapsed.TotalSeconds:0} s left for the search");
        }
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (new CandidateResult(spec, mean, sd, training.Average(), values, watch.Elapsed.TotalSeconds,
            bestEpochs.Count > 0 ? (int)Math.Round(bestEpochs.Average()) : null, bestEpochs.Count > 0 && stoppedEarly * 2 > bestEpochs.Count, curve)
        {
            BeatsBaseline = _metric.IsBetter(mean, _baseline),
            BestRounds = bestRounds.Count > 0 ? (int)Math.Round(bestRounds.Average()) : null,
            Iterations = iterations,
        }, null);
    }

    /// <summary>
    /// One fold's fit, stopped by <paramref name="token"/>: null when it was (a stopped network's partial model is
    /// discarded too: it is not the configuration's model). Trees also give their best and last boosting rounds.
    /// </summary>
    private (ITransformer Model, (int Best, int Run)? Rounds)? Fit(CandidateSpec spec, PreparedFold fold, int seed, CancellationToken token)
    {
        if (spec.Kind == CandidateKind.Network || !HasMlNetTrainer(spec))
        {
            var network = Network(spec, fold, seed, null, null, token).Fit(fold.Train);
            if (token.IsCancellationRequested)
            {
                (network as IDisposable)?.Dispose();
                return null;
            }
            return (network, null);
        }
        var ml = new MLContext(seed);
        using var cancel = token.Register(() => ml.CancelExecution());
        try
        {
            // Boosted trees early-stop on the fold's validation rows; the log of the fit tells its rounds.
            var rounds = spec.Kind == CandidateKind.Trees ? new BoostingRounds(ml, TreeSettings.MaxRounds) : null;
            var model = FitMlNet(ml, spec, seed, fold.Train, fold.Validation, TreeSettings.MaxRounds, TreeSettings.LeafRows(fold.TrainRows));
            return (model, rounds is null ? null : (rounds.Best, rounds.Run));
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (spec.Kind == CandidateKind.Trees && IsMissingNativeLibrary(e))
        {
            _treesUnavailable = $"LightGBM's native library could not be loaded ({e.GetBaseException().Message}); on Linux it needs libgomp1 (scripts/ensure-native-runtime.sh installs it)";
            return null;
        }
    }

    /// <summary>
    /// The fit of an ML.NET candidate (linear model, forest, boosted trees) on <paramref name="ml"/>: the one place that
    /// maps these kinds to their trainers, for the folds and for the final fit.
    /// </summary>
    private ITransformer FitMlNet(MLContext ml, CandidateSpec spec, int seed, IDataView train, IDataView? validation, int rounds, int leafRows) => spec.Kind switch
    {
        CandidateKind.Linear => _head.Linear(ml, spec.L2)!.Fit(train),
        CandidateKind.Forest => _head.Forest(ml, seed, _inputs)!.Fit(train),
        _ => _head.FitTrees(ml, new TreeSettings(spec.Leaves, spec.LearningRate, rounds, seed, leafRows), train, validation),
    };

    private bool HasMlNetTrainer(CandidateSpec spec) => spec.Kind is CandidateKind.Trees or CandidateKind.Forest || _hasLinearTrainer;

    private static bool IsMissingNativeLibrary(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Step 7's fit of the chosen candidate on all development rows: a network for its mean best epoch, stopped at
    /// <paramref name="stopAfter"/> (the budget's hard end; the note says so), boosted trees for their mean best round,
    /// a linear model or a forest as on the folds.
    /// </summary>
    public (ITransformer Model, string? Note) FitFinal(CandidateResult chosen, IDataView train, TimeSpan stopAfter)
    {
        var spec = chosen.Spec;
        if (spec.Kind == CandidateKind.Network || !HasMlNetTrainer(spec))
        {
            using var stop = new CancellationTokenSource(stopAfter > TimeSpan.Zero ? stopAfter : TimeSpan.FromMilliseconds(1));
            int? epochs = chosen.BestEpoch is { } e ? Math.Max(1, e) : null;
            var model = Network(spec, null, _options.Seed, epochs, _developmentRows, stop.Token).Fit(train);
            return (model, model is NeuralNetworkModel { History: var h } && h.StopReason.StartsWith("stopped", StringComparison.Ordinal)
                ? $"warning: the time budget stopped the final training after {h.Epochs.Count} of {epochs ?? _options.MaxEpochs} epochs"
                : null);
        }
        // Trees keep the rows per leaf they were validated with (the folds'), for their mean best round.
        return (FitMlNet(new MLContext(_options.Seed), spec, _options.Seed, train, null, Math.Max(1, chosen.BestRounds ?? 100),
            TreeSettings.LeafRows(_folds.Min(f => f.TrainRows))), null);
    }

    private IEstimator<ITransformer> Network(CandidateSpec spec, PreparedFold? fold, int seed, int? epochs, int? trainingRows, CancellationToken stop) =>
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
            StopToken = stop,
            // Regression targets in their own units (prices) would meet weights initialized for unit scale.
            StandardizeTargets = true,
        });
}
