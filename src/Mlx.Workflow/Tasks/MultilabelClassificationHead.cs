using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>
/// Several yes/no labels per row: a vector of Booleans (one per output), Mlx's multilabel network (sigmoid per label),
/// its multilabel metrics. ML.NET has no linear or tree multilabel trainer: the linear candidate is a network without
/// hidden layers (one logistic regression per label, trained together) and there is no tree candidate.
/// </summary>
internal sealed class MultilabelClassificationHead : TaskHead
{
    private static readonly SuccessMetric MicroF1 = new("micro-f1", true, "F1 over every (row, label) decision");
    private static readonly SuccessMetric MacroF1 = new("macro-f1", true, "mean of the per-label F1 scores");
    private static readonly SuccessMetric SubsetAccuracy = new("subset-accuracy", true, "share of rows with every label right");
    private static readonly SuccessMetric HammingLoss = new("hamming-loss", false, "share of wrong (row, label) decisions");

    private readonly LabelVectors _labels;

    public MultilabelClassificationHead(MLContext ml, LabelVectors labels) : base(ml) => _labels = labels;

    public override TaskKind Kind => TaskKind.MultilabelClassification;

    public override IReadOnlyList<SuccessMetric> Metrics { get; } = [MicroF1, MacroF1, SubsetAccuracy, HammingLoss];

    /// <summary>The outputs' names (slot names of the label vector).</summary>
    public override IReadOnlyList<string>? ClassNames => _labels.Names;

    protected override float[] LabelArray => _labels.Values;

    protected override DataViewType LabelType => new VectorDataViewType(BooleanDataViewType.Instance, _labels.Width);

    public override (SuccessMetric Metric, string Reason) ChooseMetric(int[] rows) =>
        (MicroF1, "several yes/no labels: micro-averaged F1 (accuracy would reward predicting no label at all)");

    public override string Describe(int[] rows) =>
        "labels: " + string.Join(", ", _labels.Names.Select((n, j) => $"{n} ({rows.Count(r => _labels.Values[r * _labels.Width + j] == 1):N0} of {rows.Length:N0} rows)"));

    public override IReadOnlyList<Baseline> Baselines(int[]? previousRow) =>
    [
        new Baseline("each label that most training rows have", (train, eval) =>
        {
            int k = _labels.Width;
            var majority = Enumerable.Range(0, k).Select(j => train.Count(r => _labels.Values[r * k + j] == 1) * 2 > train.Length).ToArray();
            var rows = eval.Select(r => new ScoredRow { MlxLabel = Enumerable.Range(0, k).Select(j => _labels.Values[r * k + j] == 1).ToArray(), PredictedLabel = majority });
            var definition = SchemaDefinition.Create(typeof(ScoredRow));
            definition[LabelColumn].ColumnType = new VectorDataViewType(BooleanDataViewType.Instance, k);
            definition["PredictedLabel"].ColumnType = new VectorDataViewType(BooleanDataViewType.Instance, k);
            return Evaluate(Ml.Data.LoadFromEnumerable(rows, definition));
        }),
    ];

    public override IEstimator<ITransformer>? Linear(MLContext ml, double l2) => null;

    public override bool HasTrees => false;

    public override IEstimator<ITransformer>? Forest(MLContext ml, int seed, int features) => null;

    public override ITransformer FitTrees(MLContext ml, TreeSettings settings, IDataView train, IDataView? validation) =>
        throw new NotSupportedException($"{Kind} has no boosted-trees trainer.");

    public override IEstimator<ITransformer> Network(NeuralNetworkOptions options) =>
        Ml.MulticlassClassification.Trainers.MultilabelNeuralNetwork(options);

    public override IReadOnlyDictionary<string, double> Evaluate(IDataView scored)
    {
        var m = Ml.MulticlassClassification.EvaluateMultilabel(scored, LabelColumn);
        return new Dictionary<string, double>
        {
            ["micro-f1"] = m.MicroF1,
            ["macro-f1"] = Finite(m.MacroF1),
            ["subset-accuracy"] = m.SubsetAccuracy,
            ["hamming-loss"] = m.HammingLoss,
        };
    }

    private sealed class ScoredRow
    {
        /// <summary>Named as <see cref="TaskHead.LabelColumn"/>, so that the schema definition finds it by name.</summary>
        public bool[] MlxLabel { get; set; } = [];

        public bool[] PredictedLabel { get; set; } = [];
    }
}
