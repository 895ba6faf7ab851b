using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>Two classes: a Boolean label (true = the positive class), ML.NET's calibrated binary metrics.</summary>
internal sealed class BinaryClassificationHead : TaskHead
{
    private static readonly SuccessMetric Auc = new("auc", true, "area under the ROC curve");
    private static readonly SuccessMetric Auprc = new("auprc", true, "area under the precision-recall curve (average precision)");
    private static readonly SuccessMetric Accuracy = new("accuracy", true, "share of rows classified correctly");
    private static readonly SuccessMetric F1 = new("f1", true, "F1 score of the positive class");
    private static readonly SuccessMetric LogLoss = new("log-loss", false, "logarithmic loss of the probabilities");

    /// <summary>A minority share below this makes the classes imbalanced (precision-recall AUC, as the book advises).</summary>
    public const double ImbalancedShare = 0.2;

    private readonly float[] _labels;

    public BinaryClassificationHead(MLContext ml, LabelValues labels, string? positiveClass, IReadOnlyList<string>? knownClasses = null) : base(ml)
    {
        Classes = ClassLabels.Create(labels, knownClasses, positiveClass, binary: true);
        _labels = Classes.ClassOf.Select(c => c < 0 ? float.NaN : c == Classes.Positive ? 1f : 0f).ToArray();
    }

    /// <summary>The classes and the positive one.</summary>
    public ClassLabels Classes { get; }

    public override TaskKind Kind => TaskKind.BinaryClassification;

    public override IReadOnlyList<SuccessMetric> Metrics { get; } = [Auc, Auprc, Accuracy, F1, LogLoss];

    public override IReadOnlyList<string>? ClassNames => Classes.Names;

    public override string? PositiveClass => Classes.Names[Classes.Positive];

    public override string PositiveReason => Classes.PositiveReason;

    public override int[]? Strata => Classes.ClassOf;

    protected override float[] LabelArray => _labels;

    protected override DataViewType LabelType => BooleanDataViewType.Instance;

    public override (SuccessMetric Metric, string Reason) ChooseMetric(int[] rows)
    {
        double positives = rows.Count(r => _labels[r] == 1);
        double share = Math.Min(positives, rows.Length - positives) / rows.Length;
        return share < ImbalancedShare
            ? (Auprc, $"imbalanced classes (the rarer is {share:P1} of the rows): precision-recall AUC")
            : (Auc, $"balanced enough classes (the rarer is {share:P1} of the rows): ROC AUC");
    }

    public override string Describe(int[] rows) => Classes.Describe(rows) + $"; positive class '{PositiveClass}' ({PositiveReason})";

    public override IReadOnlyList<Baseline> Baselines(int[]? previousRow) =>
    [
        new Baseline("class shares of the training rows (majority class)", (train, eval) =>
        {
            double p = train.Count(r => _labels[r] == 1) / (double)train.Length;
            float score = (float)Math.Log((p + 1e-12) / (1 - p + 1e-12));
            var rows = eval.Select(r => new ScoredRow { MlxLabel = _labels[r] == 1, Score = score, Probability = (float)p, PredictedLabel = p > 0.5 });
            return Evaluate(Ml.Data.LoadFromEnumerable(rows));
        }),
    ];

    public override IEstimator<ITransformer> Linear(MLContext ml, double l2) =>
        ml.BinaryClassification.Trainers.LbfgsLogisticRegression(Columns(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            L2Regularization = l2 > 0 ? (float)l2 : 1f,
        }));

    public override ITransformer FitTrees(MLContext ml, TreeSettings settings, IDataView train, IDataView? validation) =>
        ml.BinaryClassification.Trainers.LightGbm(settings.Apply(Columns(new LightGbmBinaryTrainer.Options { EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss }), validation))
            .Fit(train, validation);

    /// <summary>FastForest scores without a probability: Platt scaling (fitted on the training rows) adds one.</summary>
    public override IEstimator<ITransformer> Forest(MLContext ml, int seed, int features) =>
        ml.BinaryClassification.Trainers.FastForest(ForestOptions(new FastForestBinaryTrainer.Options(), seed, Math.Sqrt(features) / features, ForestLeafRows))
            .Append(ml.BinaryClassification.Calibrators.Platt(labelColumnName: LabelColumn));

    public override IEstimator<ITransformer> Network(NeuralNetworkOptions options) =>
        Ml.BinaryClassification.Trainers.NeuralNetwork(options);

    public override IReadOnlyDictionary<string, double> Evaluate(IDataView scored)
    {
        var m = Ml.BinaryClassification.Evaluate(scored, LabelColumn);
        return new Dictionary<string, double>
        {
            ["auc"] = m.AreaUnderRocCurve,
            ["auprc"] = AveragePrecision.Compute(scored.GetColumn<float>("Score").ToArray(), scored.GetColumn<bool>(LabelColumn).ToArray()),
            ["accuracy"] = m.Accuracy,
            ["f1"] = Finite(m.F1Score),
            ["log-loss"] = m.LogLoss,
        };
    }

    public override TestDiagnostics Diagnose(IDataView scored)
    {
        var scores = scored.GetColumn<float>("Score").ToArray();
        var actual = scored.GetColumn<bool>(LabelColumn).ToArray();
        var decided = scored.GetColumn<bool>("PredictedLabel").ToArray();
        int positive = Classes.Positive, negative = 1 - positive;
        var diagnostics = ClassificationDiagnostics.Create(Classes.Names, actual.Select(a => a ? positive : negative).ToArray(), decided.Select(d => d ? positive : negative).ToArray());
        return ClassificationDiagnostics.WithCurves(diagnostics, scores, actual, decided);
    }

    private sealed class ScoredRow
    {
        /// <summary>Named as <see cref="TaskHead.LabelColumn"/>, so that the schema definition finds it by name.</summary>
        public bool MlxLabel { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
