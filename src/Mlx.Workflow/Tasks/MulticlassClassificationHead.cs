using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>More than two classes: a key label whose values are the class names, ML.NET's multiclass metrics; the saved model writes the class name in PredictedLabel.</summary>
internal sealed class MulticlassClassificationHead : TaskHead
{
    private static readonly SuccessMetric Accuracy = new("accuracy", true, "micro accuracy: share of rows classified correctly");
    private static readonly SuccessMetric MacroAccuracy = new("macro-accuracy", true, "macro accuracy: mean of the per-class accuracies");
    private static readonly SuccessMetric LogLoss = new("log-loss", false, "logarithmic loss of the class probabilities");

    /// <summary>A largest-to-smallest class ratio above this makes the classes imbalanced (macro accuracy).</summary>
    public const double ImbalancedRatio = 3;

    private readonly float[] _labels;

    public MulticlassClassificationHead(MLContext ml, LabelValues labels, IReadOnlyList<string>? knownClasses = null) : base(ml)
    {
        Classes = ClassLabels.Create(labels, knownClasses, null, binary: false);
        _labels = Classes.ClassOf.Select(c => c < 0 ? float.NaN : (float)c).ToArray();
    }

    /// <summary>The classes.</summary>
    public ClassLabels Classes { get; }

    public override TaskKind Kind => TaskKind.MulticlassClassification;

    public override IReadOnlyList<SuccessMetric> Metrics { get; } = [Accuracy, MacroAccuracy, LogLoss];

    public override IReadOnlyList<string>? ClassNames => Classes.Names;

    public override int[]? Strata => Classes.ClassOf;

    protected override float[] LabelArray => _labels;

    protected override DataViewType LabelType => new KeyDataViewType(typeof(uint), Classes.Names.Count);

    public override (SuccessMetric Metric, string Reason) ChooseMetric(int[] rows)
    {
        var counts = Classes.Counts(rows);
        double ratio = (double)counts.Max() / Math.Max(1, counts.Min());
        return ratio > ImbalancedRatio
            ? (MacroAccuracy, $"imbalanced classes (largest / smallest = {ratio:0.#}): macro accuracy")
            : (Accuracy, $"balanced enough classes (largest / smallest = {ratio:0.#}): accuracy");
    }

    public override string Describe(int[] rows) => Classes.Describe(rows);

    public override IReadOnlyList<Baseline> Baselines(int[]? previousRow) =>
    [
        new Baseline("class shares of the training rows (majority class)", (train, eval) =>
        {
            int k = Classes.Names.Count;
            var shares = Classes.Counts(train).Select(c => (float)c / train.Length).ToArray();
            // LoadFromEnumerable takes key values 0-based (it adds the 1 of ML.NET's raw keys itself).
            uint majority = (uint)Array.IndexOf(shares, shares.Max());
            var rows = eval.Select(r => new ScoredRow { MlxLabel = (uint)_labels[r], Score = shares, PredictedLabel = majority });
            var definition = SchemaDefinition.Create(typeof(ScoredRow));
            definition[LabelColumn].ColumnType = new KeyDataViewType(typeof(uint), k);
            definition["PredictedLabel"].ColumnType = new KeyDataViewType(typeof(uint), k);
            definition["Score"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
            return Evaluate(Ml.Data.LoadFromEnumerable(rows, definition));
        }),
    ];

    public override IEstimator<ITransformer> Linear(MLContext ml, double l2) =>
        ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(Columns(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            NumberOfThreads = 1,
            L2Regularization = l2 > 0 ? (float)l2 : 1f,
        }));

    public override ITransformer FitTrees(MLContext ml, TreeSettings settings, IDataView train, IDataView? validation) =>
        ml.MulticlassClassification.Trainers.LightGbm(settings.Apply(Columns(new LightGbmMulticlassTrainer.Options { EvaluationMetric = LightGbmMulticlassTrainer.Options.EvaluateMetricType.LogLoss }), validation))
            .Fit(train, validation);

    public override int TreesPerRound => Classes.Names.Count;

    public override IEstimator<ITransformer> Forest(MLContext ml, int seed, int features) =>
        ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastForest(ForestOptions(new FastForestBinaryTrainer.Options(), seed, Math.Sqrt(features) / features, ForestLeafRows)),
            labelColumnName: LabelColumn);

    public override IEstimator<ITransformer> Network(NeuralNetworkOptions options) =>
        Ml.MulticlassClassification.Trainers.NeuralNetwork(options);

    public override IReadOnlyDictionary<string, double> Evaluate(IDataView scored)
    {
        var m = Ml.MulticlassClassification.Evaluate(scored, LabelColumn);
        return new Dictionary<string, double>
        {
            ["accuracy"] = m.MicroAccuracy,
            ["macro-accuracy"] = m.MacroAccuracy,
            ["log-loss"] = m.LogLoss,
        };
    }

    /// <summary>Keys are 1-based class indices (0: missing).</summary>
    public override TestDiagnostics Diagnose(IDataView scored) => ClassificationDiagnostics.Create(Classes.Names,
        scored.GetColumn<uint>(LabelColumn).Select(k => (int)k - 1).ToArray(), scored.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray());

    public override ITransformer? OutputMapping(IDataView scored) =>
        Ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scored);

    private sealed class ScoredRow
    {
        /// <summary>Named as <see cref="TaskHead.LabelColumn"/>, so that the schema definition finds it by name.</summary>
        public uint MlxLabel { get; set; }

        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }
}
