using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Mlx.FeatureEngineering;

namespace Mlx.Workflow;

/// <summary>
/// The universal workflow of machine learning ("Deep Learning with Python" 4.5) as one call, built from Mlx and ML.NET
/// components: (1) define the problem — task from the label, kind of every column; (2) choose the measure of success;
/// (3) choose the evaluation protocol by data size and time order, hold out a test split; (4) prepare the data;
/// (5) a common-sense baseline; (6) a first model that beats it, scaled up until it overfits, then regularized and
/// tuned within the time budget; (7) the chosen configuration retrained on training + validation rows and evaluated
/// once on the test split. Returns the saveable ML.NET model and the <see cref="WorkflowReport"/>.
/// </summary>
public sealed class WorkflowRunner
{
    private readonly MLContext _ml;

    /// <summary>A runner on a context (its seed does not matter: <see cref="WorkflowOptions.Seed"/> seeds everything).</summary>
    public WorkflowRunner(MLContext ml) => _ml = ml ?? throw new ArgumentNullException(nameof(ml));

    /// <summary>Runs the workflow.</summary>
    /// <param name="data">The data: feature columns of any kind and the label; rows without a label are left out.</param>
    /// <param name="labelColumnName">The column to predict.</param>
    /// <param name="options">Task, metric, budget, seed, progress; defaults when null.</param>
    public WorkflowResult Run(IDataView data, string labelColumnName, WorkflowOptions? options = null) =>
        Run(data, [labelColumnName], options);

    /// <summary>Runs the workflow on a label of one column or of several (a multilabel task when they are all 0/1, else vector regression).</summary>
    /// <param name="data">The data: feature columns of any kind and the label columns; rows without a (complete) label are left out.</param>
    /// <param name="labelColumnNames">The column(s) to predict; one vector column also makes a multilabel or vector label.</param>
    /// <param name="options">Task, metric, budget, seed, progress; defaults when null.</param>
    public WorkflowResult Run(IDataView data, IReadOnlyList<string> labelColumnNames, WorkflowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labelColumnNames);
        if (labelColumnNames.Count == 0 || labelColumnNames.Any(string.IsNullOrWhiteSpace) || labelColumnNames.Distinct().Count() < labelColumnNames.Count)
            throw new ArgumentException("Name the label column (or several distinct ones).", nameof(labelColumnNames));
        string labelColumnName = string.Join(",", labelColumnNames);
        options ??= new WorkflowOptions();
        options.Validate();
        var host = ((IHostEnvironment)_ml).Register("Workflow");
        using var channel = host.Start("Workflow");
        var steps = new StepRecorder(channel, options.Progress, options.TimeBudget);
        foreach (var (option, names) in new[] { (nameof(options.IgnoreColumns), options.IgnoreColumns), (nameof(options.KeepColumns), options.KeepColumns),
                     (nameof(options.TimeColumn), options.TimeColumn is null ? [] : (IReadOnlyList<string>)[options.TimeColumn]) })
        {
            foreach (var missing in names.Where(c => data.Schema.GetColumnOrNull(c) is null))
                throw new ArgumentException($"{option} names '{missing}', which the data does not have (columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).", nameof(options));
        }

        // 1. Define the problem.
        steps.Begin(1, "Define the problem");
        var source = _ml.Data.Cache(data);
        bool vectorLabel = labelColumnNames.Count > 1 || source.Schema.GetColumnOrNull(labelColumnNames[0])?.Type is VectorDataViewType;
        var labels = ReadLabel(source, labelColumnNames, vectorLabel);
        var (task, taskReason) = labels is LabelVectors vectors ? TaskDetection.DetectVector(vectors, options.Task) : TaskDetection.Detect((LabelValues)labels, options.Task);
        var head = TaskHead.Create(_ml, task, labels, options.PositiveClass);
        var labelled = Enumerable.Range(0, labels.Rows).Where(r => !labels.IsMissing(r)).ToArray();
        steps.Line($"task: {task} ({taskReason}); label '{labelColumnName}'");
        steps.Line(head.Describe(labelled));
        steps.Line($"{labels.Rows:N0} rows, {labelled.Length:N0} with a label" + (labelled.Length < labels.Rows ? $" ({labels.Rows - labelled.Length:N0} without one are left out)" : ""));
        var excluded = new HashSet<string>(options.IgnoreColumns.Concat(labelColumnNames));
        // Only text and date/time columns can hold timestamps: the first look at all labelled rows reads just those (the
        // full inspection, after the split, reads the training rows).
        var notTimes = source.Schema.Where(c => c.Type is not (TextDataViewType or DateTimeDataViewType or DateTimeOffsetDataViewType)
            || (options.TimeColumn is { } wanted && c.Name != wanted)).Select(c => c.Name);
        var timestamp = options.UseTimeOrder
            ? DataInspection.Inspect(source, excluded.Concat(notTimes).ToHashSet(), Mask(labels.Rows, labelled)).FirstOrDefault(c => c.Kind == ColumnKind.Timestamp)
            : null;
        if (options.TimeColumn is { } timeColumn && options.UseTimeOrder && timestamp is null)
            throw new ArgumentException($"TimeColumn '{timeColumn}' does not hold a date/time in every labelled row; name a column of dates or times (or leave the option out).", nameof(options));
        int[]? timeOrder = timestamp is null ? null : TimeOrder.Sort(source, timestamp.Name, labelled);
        if (!options.UseTimeOrder)
            steps.Line("time order not used (UseTimeOrder = false): rows are shuffled like any rows");

        // 3. (decided before the data are looked at more closely, so that nothing is learnt from the test rows)
        var (splits, protocol) = DataSplits.Create(labelled, head.Strata, timeOrder, options.TestFraction,
            n => EvaluationProtocol.Choose(n, timeOrder is not null, options), options.Seed);
        if (timeOrder is not null && splits.MissingClass(head.Strata, task == TaskKind.BinaryClassification) is { } why)
        {
            // The latest rows cannot score the task: fall back to a stratified split and say so.
            steps.Line($"warning: the time-ordered split by '{timestamp!.Name}' cannot be scored ({why}): the rows are split stratified by class instead, ignoring time order");
            timestamp = null;
            timeOrder = null;
            (splits, protocol) = DataSplits.Create(labelled, head.Strata, null, options.TestFraction, n => EvaluationProtocol.Choose(n, false, options), options.Seed);
        }
        var developmentRows = Mask(labels.Rows, splits.Development);
        var inspected = DataInspection.Inspect(source, excluded, developmentRows);
        var columns = LabelCopyCheck.Apply(inspected, source, labels, developmentRows, task is TaskKind.Regression or TaskKind.VectorRegression);
        if (labels is LabelValues scalarLabels && task is TaskKind.BinaryClassification or TaskKind.MulticlassClassification)
            columns = LabelPredictorCheck.Apply(columns, source, scalarLabels, splits.Development);
        else if (labels is LabelValues numericLabels && task == TaskKind.Regression)
            columns = LabelPredictorCheck.ApplyRegression(columns, source, numericLabels, splits.Development);
        columns = ImagePathCheck.Apply(columns, source, splits.Development, options.ImageFolder);
        columns = Keep(columns, inspected, options.KeepColumns, steps);
        foreach (var kind in columns.GroupBy(c => c.Kind))
            steps.Line($"{kind.Key}: {Names(kind.Select(c => c.Name).ToArray())}");
        foreach (var suspect in columns.Where(c => c.Kind is ColumnKind.LabelCopy or ColumnKind.LabelPredictor or ColumnKind.Identifier))
            steps.Line($"left out '{suspect.Name}' ({suspect.Kind}): {suspect.Reason} — KeepColumns (--keep) uses it anyway");

        // 2. Measure of success.
        steps.Begin(2, "Choose a measure of success");
        var (metric, metricReason) = options.Metric is { } requested ? (head.Metric(requested), "chosen by the caller") : head.ChooseMetric(splits.Development);
        steps.Line($"{metric.Name}: {metric.Description} ({(metric.HigherIsBetter ? "higher" : "lower")} is better) — {metricReason}");

        steps.Begin(3, "Decide on an evaluation protocol");
        steps.Line($"test split: {splits.Test.Length:N0} rows ({options.TestFraction:P0}, {(timeOrder is null ? (head.Strata is null ? "shuffled" : "stratified by class") : $"the latest by '{timestamp!.Name}'")}), used once at the end");
        steps.Line($"{protocol.Kind}: {protocol.Reason}");

        // 4. Prepare the data.
        steps.Begin(4, "Prepare the data");
        var plan = PreparationPlan.Create(_ml, columns, options.ImageFolder);
        ITransformer? featurizer = null;
        var featurized = source;
        if (plan.Featurizers is { } featurizers)
        {
            featurizer = featurizers.Fit(source);
            featurized = _ml.Data.Cache(featurizer.Transform(source));
        }
        // The width decides whether filter selection joins the preparation: measured on the first fold's training rows,
        // before any fold is prepared, so that the one preparation estimator below is what every fold fits and what the
        // saved model is refitted from (the model validated is the model saved).
        var firstFold = plan.Estimator(task).Fit(head.Rows(featurized, splits.Folds[0].Train));
        int slots = firstFold.GetOutputSchema(featurized.Schema)[TaskHead.FeatureColumn].Type.GetValueCount();
        plan.SelectWhenWide(slots, splits.Folds.Min(f => f.Train.Length), labels is LabelValues);
        var preparation = plan.Estimator(task);
        foreach (var line in plan.Steps)
            steps.Line(line);
        steps.Line($"features: {slots:N0} slots" + (plan.Selection is { Keep: var keep } ? $", {keep:N0} kept" : ""));
        // Without selection the measuring fit is the first fold's preparation already: not fitted twice.
        var folds = splits.Folds.Select((f, i) => Prepare(i == 0 && plan.Selection is null ? firstFold : preparation.Fit(head.Rows(featurized, f.Train)),
            head, featurized, f.Train, f.Validation)).ToArray();

        // 5. Baseline.
        steps.Begin(5, "Beat a baseline");
        var baselines = head.Baselines(timeOrder is null ? null : TimeOrder.Previous(timeOrder, labels.Rows))
            .Select(b => (Baseline: b, Value: splits.Folds.Average(f => b.Evaluate(f.Train, f.Validation)[metric.Name]))).ToArray();
        foreach (var (b, v) in baselines)
            steps.Line($"{b.Name}: validation {metric.Name} {v:0.####}");
        var best = baselines.Aggregate((x, y) => metric.IsBetter(y.Value, x.Value) ? y : x);
        steps.Line($"to beat: {best.Baseline.Name} ({metric.Name} {best.Value:0.####})");

        // 6. Develop a model that does better, scale up until it overfits, regularize and tune.
        steps.Begin(6, "Develop a model that beats the baseline, scale up until it overfits, regularize and tune");
        var search = new ModelSearch(head, folds, plan.Selection?.Keep ?? slots, splits.Development.Length, metric, best.Value, options, () => steps.Elapsed, steps.Line);
        var chosen = search.Run();
        var firstBeating = search.Results.FirstOrDefault(r => r.BeatsBaseline);
        steps.Line(firstBeating is null
            ? "warning: no candidate beats the baseline on validation — the features may not predict the label"
            : $"first model to beat the baseline: {firstBeating.Spec.Name} ({metric.Name} {firstBeating.Mean:0.####} vs {best.Value:0.####})");
        if (search.BudgetStop is { } stop)
            steps.Line($"the time budget stopped the schedule {stop}");
        steps.Line($"chosen: {chosen.Spec.Name} — {chosen.Spec.Describe()} — validation {metric.Name} {chosen.Mean:0.####} ± {chosen.StandardDeviation:0.####}: {search.ChoiceReason}");

        // 7. Retrain on training + validation rows, evaluate once on the test split.
        steps.Begin(7, "Retrain on all training data and evaluate once on the test split");
        var developmentPrep = preparation.Fit(head.Rows(featurized, splits.Development));
        var development = Prepare(developmentPrep, head, featurized, splits.Development, splits.Test);
        int? epochs = chosen.BestEpoch is { } e ? Math.Max(1, e) : null;
        // The hard end of the run is the budget + 10 %: a network's final training stops there (trees and linear models
        // had their time reserved by the search).
        var (predictor, finalNote) = search.FitFinal(chosen, development.Train, options.TimeBudget * 1.1 - steps.Elapsed - TimeSpan.FromSeconds(1));
        var parts = new List<ITransformer>();
        if (featurizer is not null)
            parts.Add(featurizer);
        parts.Add(developmentPrep);
        parts.Add(predictor);
        ITransformer scoring = new TransformerChain<ITransformer>(parts.ToArray());
        var testRows = head.Rows(source, splits.Test);
        var scoredTest = scoring.Transform(testRows);
        var testMetrics = head.Evaluate(scoredTest);
        var mapping = head.OutputMapping(scoredTest);
        // One flat chain (featurizers, preparation, predictor, output mapping), as ML.NET's own pipelines save.
        ITransformer model = mapping is null ? scoring : new TransformerChain<ITransformer>([.. parts, mapping]);
        var baselineTest = best.Baseline.Evaluate(splits.Development, splits.Test);
        int leaked = DuplicateRows.Find(development.Train, development.Validation, TaskHead.FeatureColumn).Length;
        steps.Line($"retrained {chosen.Spec.Name} on {splits.Development.Length:N0} rows" + (epochs is { } n ? $" for {n} epochs (its mean best epoch)" : "")
            + (chosen.BestRounds is { } rounds ? $" for {rounds} boosting rounds (its mean best round)" : ""));
        if (finalNote is not null)
            steps.Line(finalNote);
        steps.Line($"test {metric.Name}: {testMetrics[metric.Name]:0.####} (baseline {baselineTest[metric.Name]:0.####})"
            + (metric.IsBetter(testMetrics[metric.Name], baselineTest[metric.Name]) ? "" : " — warning: does not beat the baseline"));
        // What the test rows say beyond the metrics: confusion matrix and curves, predicted values, and which input
        // columns the model relies on (permutation importance, in the time left of the budget + 5 %).
        var featureInputs = columns.Where(c => c.IsFeature).Select(c => c.Name).ToArray();
        // On the featurized rows (images decoded once): the preparation and predictor score them, image columns are
        // shuffled as their features.
        var (importance, importanceNote) = PermutationImportance.Compute(new TransformerChain<ITransformer>(developmentPrep, predictor), head.Rows(featurized, splits.Test),
            featureInputs.Select(c => (c, plan.FeaturizedColumn(c) ?? c)).ToArray(), scored => head.Evaluate(scored)[metric.Name],
            metric.HigherIsBetter, options.Seed, (options.TimeBudget * 1.05 - steps.Elapsed).TotalSeconds);
        var diagnostics = head.Diagnose(scoredTest) with { Importance = importance, ImportanceNote = importanceNote };
        if (importance.Count > 0)
            steps.Line($"permutation importance on the test rows ({metric.Name} lost when a column is shuffled): "
                + string.Join(", ", importance.Take(5).Select(i => $"'{i.Column}' {i.Drop:0.####}")) + (importanceNote is null ? "" : $"; {importanceNote}"));
        else if (importanceNote is not null)
            steps.Line($"permutation importance: {importanceNote}");
        steps.Line(leaked == 0
            ? "leakage check: no test row repeats a training row (prepared features)"
            : $"leakage check: {leaked} test row(s) repeat a training row exactly (prepared features): the test metric may be optimistic");
        steps.End();

        var developmentView = head.Rows(source, splits.Development);
        var info = new WorkflowModelInfo(task, labelColumnName, metric.Name, head.ClassNames, head.PositiveClass, featureInputs, mapping is not null,
            $"{chosen.Spec.Name}: {chosen.Spec.Describe()}", labelColumnNames.ToArray())
        {
            CategoryLevels = columns.Where(c => c.Kind == ColumnKind.Categorical && c.Type == "String").ToDictionary(c => c.Name,
                c => (IReadOnlyList<string>)CategoryProfile.Read(developmentView, c.Name).Frequencies.Keys.Order(StringComparer.Ordinal).ToArray()),
        };
        var report = new WorkflowReport
        {
            Task = task,
            TaskReason = taskReason,
            Label = labelColumnName,
            Classes = head.ClassNames,
            PositiveClass = head.PositiveClass,
            Metric = metric.Name,
            HigherIsBetter = metric.HigherIsBetter,
            MetricReason = metricReason,
            BaselineName = best.Baseline.Name,
            BaselineValidation = best.Value,
            Baseline = baselineTest[metric.Name],
            BaselineTestMetrics = baselineTest,
            Test = testMetrics[metric.Name],
            TestMetrics = testMetrics,
            Chosen = chosen.Spec.Name,
            FinalEpochs = epochs,
            FinalRounds = chosen.BestRounds,
            BudgetStop = search.BudgetStop,
            Diagnostics = diagnostics,
            Environment = RunEnvironment.Current(),
            Rows = labels.Rows,
            LabelledRows = labelled.Length,
            DevelopmentRows = splits.Development.Length,
            TestRows = splits.Test.Length,
            Protocol = protocol,
            Columns = columns,
            Preparation = plan.Steps,
            FeatureSlots = slots,
            KeptSlots = plan.Selection?.Keep ?? slots,
            LeakedTestRows = leaked,
            Candidates = search.Results,
            Skipped = search.Skipped.Select(s => new SkippedCandidate(s.Spec.Name, s.Spec.Describe(), s.Reason)).ToArray(),
            Steps = steps.Steps,
            Seconds = steps.Elapsed.TotalSeconds,
            BudgetSeconds = options.TimeBudget.TotalSeconds,
            Seed = options.Seed,
        };
        return new WorkflowResult(new WorkflowModel(model, data.Schema, info), report, splits.Test);
    }

    /// <summary>The label of one column, or of several outputs.</summary>
    internal static ILabelData ReadLabel(IDataView data, IReadOnlyList<string> columns, bool vector) =>
        vector ? LabelVectors.Read(data, columns) : LabelValues.Read(data, columns[0]);

    /// <summary>Both sides of a fold through the fitted preparation, reduced to features and label, cached.</summary>
    private PreparedFold Prepare(ITransformer preparation, TaskHead head, IDataView source, int[] train, int[] validation)
    {
        IDataView Side(int[] rows)
        {
            var prepared = preparation.Transform(head.Rows(source, rows));
            return _ml.Data.Cache(_ml.Transforms.SelectColumns(TaskHead.FeatureColumn, TaskHead.LabelColumn).Fit(prepared).Transform(prepared));
        }
        return new PreparedFold(Side(train), Side(validation), train.Length);
    }

    /// <summary>
    /// The columns the caller keeps as features although the checks left them out (an identifier, a copy of the
    /// label, a column that predicts it): back to the kind the inspection gave them (an identifier of numbers becomes
    /// numeric, of text categorical), with a warning in the report.
    /// </summary>
    private static IReadOnlyList<ColumnSummary> Keep(IReadOnlyList<ColumnSummary> columns, IReadOnlyList<ColumnSummary> inspected, IReadOnlyList<string> keep, StepRecorder steps)
    {
        var result = columns.ToArray();
        for (int i = 0; i < result.Length; i++)
        {
            var column = result[i];
            if (!keep.Contains(column.Name) || column.IsFeature)
                continue;
            var original = inspected.Single(c => c.Name == column.Name);
            var kind = original.Kind is ColumnKind.Identifier or ColumnKind.LabelCopy or ColumnKind.LabelPredictor
                ? (column.Type == "String" ? ColumnKind.Categorical : ColumnKind.Numeric)
                : original.Kind;
            if (kind is not (ColumnKind.Numeric or ColumnKind.Categorical or ColumnKind.Text or ColumnKind.NumericVector or ColumnKind.ImagePath))
                throw new ArgumentException($"KeepColumns names '{column.Name}', which cannot be a feature: {column.Reason}.", "options");
            steps.Line($"warning: '{column.Name}' is kept as a feature because KeepColumns (--keep) names it, although it is {column.Kind}: {column.Reason}. Validation and test scores may be optimistic.");
            result[i] = original with { Kind = kind, Reason = $"kept by the caller; the workflow found it {column.Kind}: {column.Reason}" };
        }
        return result;
    }

    /// <summary>Column names for a line of the report: all of them up to 12, else the first 10 and the count.</summary>
    private static string Names(string[] names) =>
        names.Length <= 12 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(10))}, … ({names.Length} columns)";

    private static bool[] Mask(int rows, int[] chosen)
    {
        var mask = new bool[rows];
        foreach (var r in chosen)
            mask[r] = true;
        return mask;
    }
}
