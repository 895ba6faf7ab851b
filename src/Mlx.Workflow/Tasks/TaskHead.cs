using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>
/// Everything the workflow does differently per task, in one place: the label as the trainers want it, the metrics and
/// the default one, the baselines, the linear, tree and network trainers, and the evaluation. A new task is one new
/// head; the runner has no switch over tasks.
/// </summary>
internal abstract class TaskHead
{
    /// <summary>The training-time label column the heads write (never part of a saved model).</summary>
    public const string LabelColumn = "MlxLabel";

    /// <summary>The feature column the preparation writes.</summary>
    public const string FeatureColumn = "Features";

    protected TaskHead(MLContext ml) => Ml = ml;

    protected MLContext Ml { get; }

    public abstract TaskKind Kind { get; }

    /// <summary>Every metric the task reports, the default first.</summary>
    public abstract IReadOnlyList<SuccessMetric> Metrics { get; }

    /// <summary>Class names for classification (key order), else null.</summary>
    public virtual IReadOnlyList<string>? ClassNames => null;

    /// <summary>The positive class of a binary task, else null.</summary>
    public virtual string? PositiveClass => null;

    /// <summary>Why the positive class is that one.</summary>
    public virtual string PositiveReason => "";

    /// <summary>The head of a task: the one place that maps a task to its head.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="task">The task.</param>
    /// <param name="labels">The label values.</param>
    /// <param name="positiveClass">The positive class of a binary task (null: the default rule).</param>
    /// <param name="knownClasses">Class names of a trained model, so that new data get the same class indices.</param>
    public static TaskHead Create(MLContext ml, TaskKind task, ILabelData labels, string? positiveClass, IReadOnlyList<string>? knownClasses = null) => (task, labels) switch
    {
        (TaskKind.BinaryClassification, LabelValues scalar) => new BinaryClassificationHead(ml, scalar, positiveClass, knownClasses),
        (TaskKind.MulticlassClassification, LabelValues scalar) => new MulticlassClassificationHead(ml, scalar, knownClasses),
        (TaskKind.Regression, LabelValues scalar) => new RegressionHead(ml, scalar),
        (TaskKind.MultilabelClassification, LabelVectors vector) => new MultilabelClassificationHead(ml, vector),
        (TaskKind.VectorRegression, LabelVectors vector) => new VectorRegressionHead(ml, vector),
        _ => throw new ArgumentException($"A {task} task needs {(labels is LabelValues ? "a label of several outputs" : "a label of one column")}; the label is '{labels.ColumnName}'.", nameof(task)),
    };

    /// <summary>The label's distribution over the rows, in words (classes and counts, range, positives per label).</summary>
    public abstract string Describe(int[] rows);

    /// <summary>The metric to optimise for the rows (e.g. precision-recall AUC when the classes are imbalanced), with the reason.</summary>
    public abstract (SuccessMetric Metric, string Reason) ChooseMetric(int[] rows);

    /// <summary>Each row's label value as <see cref="RowSubsetView"/> writes it.</summary>
    protected abstract float[] LabelArray { get; }

    protected abstract DataViewType LabelType { get; }

    /// <summary>Rows with a label, for stratification: each row's class, or null for regression.</summary>
    public virtual int[]? Strata => null;

    /// <summary>The rows of the source by position, with the training-time label.</summary>
    public IDataView Rows(IDataView source, int[] rows) => new RowSubsetView(source, rows, LabelColumn, LabelType, LabelArray, ClassNames);

    /// <summary>The baselines of the task.</summary>
    public abstract IReadOnlyList<Baseline> Baselines(int[]? previousRow);

    /// <summary>ML.NET's linear trainer of the task; null when it has none (the search then trains a network without hidden layers: the same linear model, by gradient descent).</summary>
    /// <param name="ml">The context the trainer runs on: the search gives each fit its own, so that the budget can cancel it.</param>
    /// <param name="l2">The L2 penalty; 0 keeps the trainer's default.</param>
    public abstract IEstimator<ITransformer>? Linear(MLContext ml, double l2);

    /// <summary>Whether the task has a boosted-trees trainer (<see cref="FitTrees"/>).</summary>
    public virtual bool HasTrees => true;

    /// <summary>
    /// LightGBM boosted trees: with validation rows, at most <see cref="TreeSettings.Rounds"/> rounds early-stopped
    /// when <see cref="TreeSettings.EarlyStoppingRounds"/> rounds do not lower the validation loss (the model keeps the
    /// best round's trees); without, exactly <see cref="TreeSettings.Rounds"/> rounds.
    /// </summary>
    /// <param name="ml">The context the trainer runs on (cancellable by the budget).</param>
    /// <param name="settings">Leaves, learning rate, rounds, seed.</param>
    /// <param name="train">Prepared training rows.</param>
    /// <param name="validation">Prepared validation rows, or null.</param>
    public abstract ITransformer FitTrees(MLContext ml, TreeSettings settings, IDataView train, IDataView? validation);

    /// <summary>Trees of the random-forest candidate.</summary>
    public const int ForestTrees = 100;

    /// <summary>
    /// A random forest (ML.NET's FastForest, Breiman's bagged trees): <see cref="ForestTrees"/> deep trees (up to 256
    /// leaves), each split choosing among a random share of the features — scikit-learn's defaults per task: √d of d
    /// features and leaves of 2 rows or more for classification (one rows per leaf scored worse on the corpus), every
    /// feature and single-row leaves for regression (a third of them, Breiman's old default, cost 10-40 % of MAE on the
    /// corpus' small regression sets). Robust where boosting has too few rows. Null when the task has none.
    /// </summary>
    public abstract IEstimator<ITransformer>? Forest(MLContext ml, int seed, int features);

    /// <summary>Most leaves of a forest's tree.</summary>
    public const int ForestLeaves = 256;

    /// <summary>
    /// The forest options shared by the tasks: deep trees, per-split feature sampling, every core (FastForest's trees
    /// come out the same on any number of threads: the corpus' forests scored identically on 1 and 2, in half the time).
    /// </summary>
    protected static T ForestOptions<T>(T options, int seed, double featureShare, int leafRows) where T : Microsoft.ML.Trainers.FastTree.FastForestOptionsBase
    {
        options.LabelColumnName = LabelColumn;
        options.FeatureColumnName = FeatureColumn;
        options.NumberOfTrees = ForestTrees;
        options.NumberOfLeaves = ForestLeaves;
        options.MinimumExampleCountPerLeaf = leafRows;
        options.FeatureFractionPerSplit = Math.Clamp(featureShare, 0.01, 1);
        options.NumberOfThreads = null;
        options.Seed = seed;
        return options;
    }

    /// <summary>Rows a forest's leaf needs: 2 for classification, 1 for regression (scikit-learn's defaults).</summary>
    public virtual int ForestLeafRows => 2;

    /// <summary>
    /// Trees a tree ensemble grows per boosting round or forest tree: one, or one per class where the task's trainers
    /// fit a tree per class (multiclass LightGBM, one-versus-all forests). The search counts fitted numbers with it.
    /// </summary>
    public virtual int TreesPerRound => 1;

    public abstract IEstimator<ITransformer> Network(NeuralNetworkOptions options);

    /// <summary>The task's metrics of scored rows that carry <see cref="LabelColumn"/>.</summary>
    public abstract IReadOnlyDictionary<string, double> Evaluate(IDataView scored);

    /// <summary>The task's test diagnostics of scored rows carrying <see cref="LabelColumn"/> (confusion matrix and curves, predicted values); none by default.</summary>
    public virtual TestDiagnostics Diagnose(IDataView scored) => new();

    /// <summary>What turns the predictor's output into what a user reads (multiclass: class names in PredictedLabel); null when nothing.</summary>
    public virtual ITransformer? OutputMapping(IDataView scored) => null;

    /// <summary>The metric's value, or an error naming the metric and the ones the task has.</summary>
    public SuccessMetric Metric(string name) =>
        Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Metric '{name}' is not a metric of {Kind}: use one of {string.Join(", ", Metrics.Select(m => m.Name))}.", nameof(name));

    /// <summary>NaN metrics (e.g. F1 with no positive prediction) reported as 0, so that comparisons stay defined.</summary>
    protected static double Finite(double value) => double.IsNaN(value) ? 0 : value;

    /// <summary>The trainer options' common settings.</summary>
    protected static T Columns<T>(T options) where T : Microsoft.ML.Trainers.TrainerInputBaseWithLabel
    {
        options.LabelColumnName = LabelColumn;
        options.FeatureColumnName = FeatureColumn;
        return options;
    }
}
