using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>
/// Several numbers per row: a vector of Singles, Mlx's vector network (one linear output per number), the metrics
/// averaged over the outputs. ML.NET has no multi-output regression trainer: the linear candidate is a network without
/// hidden layers and there is no tree candidate.
/// </summary>
internal sealed class VectorRegressionHead : TaskHead
{
    private static readonly SuccessMetric Mae = new("mae", false, "mean absolute error, averaged over the outputs");
    private static readonly SuccessMetric Rmse = new("rmse", false, "root mean squared error, averaged over the outputs");
    private static readonly SuccessMetric R2 = new("r2", true, "coefficient of determination, averaged over the outputs");

    private readonly LabelVectors _labels;

    public VectorRegressionHead(MLContext ml, LabelVectors labels) : base(ml) => _labels = labels;

    public override TaskKind Kind => TaskKind.VectorRegression;

    public override IReadOnlyList<SuccessMetric> Metrics { get; } = [Mae, Rmse, R2];

    /// <summary>The outputs' names.</summary>
    public override IReadOnlyList<string>? ClassNames => _labels.Names;

    protected override float[] LabelArray => _labels.Values;

    protected override DataViewType LabelType => new VectorDataViewType(NumberDataViewType.Single, _labels.Width);

    public override (SuccessMetric Metric, string Reason) ChooseMetric(int[] rows) => (Mae, "several numbers: mean absolute error, averaged over the outputs");

    public override string Describe(int[] rows) =>
        "outputs: " + string.Join(", ", _labels.Names.Select((n, j) => $"{n} (mean {rows.Average(r => (double)_labels.Values[r * _labels.Width + j]):0.###})"));

    public override IReadOnlyList<Baseline> Baselines(int[]? previousRow) =>
    [
        new Baseline("mean of each output over the training rows", (train, eval) =>
        {
            int k = _labels.Width;
            var means = Enumerable.Range(0, k).Select(j => (float)train.Average(r => (double)_labels.Values[r * k + j])).ToArray();
            var rows = eval.Select(r => new ScoredRow { MlxLabel = _labels.Values.AsSpan(r * k, k).ToArray(), Score = means });
            var definition = SchemaDefinition.Create(typeof(ScoredRow));
            definition[LabelColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
            definition["Score"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
            return Evaluate(Ml.Data.LoadFromEnumerable(rows, definition));
        }),
    ];

    public override IEstimator<ITransformer>? Linear(MLContext ml, double l2) => null;

    public override bool HasTrees => false;

    public override IEstimator<ITransformer>? Forest(MLContext ml, int seed, int features) => null;

    public override ITransformer FitTrees(MLContext ml, TreeSettings settings, IDataView train, IDataView? validation) =>
        throw new NotSupportedException($"{Kind} has no boosted-trees trainer.");

    public override IEstimator<ITransformer> Network(NeuralNetworkOptions options) =>
        Ml.Regression.Trainers.VectorNeuralNetwork(options);

    public override IReadOnlyDictionary<string, double> Evaluate(IDataView scored)
    {
        var m = Ml.Regression.EvaluateVector(scored, LabelColumn);
        return new Dictionary<string, double>
        {
            ["mae"] = m.MeanAbsoluteError,
            ["rmse"] = m.RootMeanSquaredError,
            ["r2"] = m.RSquared,
        };
    }

    private sealed class ScoredRow
    {
        /// <summary>Named as <see cref="TaskHead.LabelColumn"/>, so that the schema definition finds it by name.</summary>
        public float[] MlxLabel { get; set; } = [];

        public float[] Score { get; set; } = [];
    }
}
