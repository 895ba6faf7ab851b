using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Mlx.Estimators;

namespace Mlx.Workflow;

/// <summary>A number: Single label, ML.NET's regression metrics; baselines the training mean and, for time-ordered rows, the last value.</summary>
internal sealed class RegressionHead : TaskHead
{
    private static readonly SuccessMetric Mae = new("mae", false, "mean absolute error");
    private static readonly SuccessMetric Rmse = new("rmse", false, "root mean squared error");
    private static readonly SuccessMetric R2 = new("r2", true, "coefficient of determination");

    private readonly float[] _labels;

    private readonly string _column;

    public RegressionHead(MLContext ml, LabelValues labels) : base(ml)
    {
        _labels = labels.Numbers.Select(v => (float)v).ToArray();
        _column = labels.ColumnName;
    }

    public override TaskKind Kind => TaskKind.Regression;

    public override IReadOnlyList<SuccessMetric> Metrics { get; } = [Mae, Rmse, R2];

    protected override float[] LabelArray => _labels;

    protected override DataViewType LabelType => NumberDataViewType.Single;

    public override (SuccessMetric Metric, string Reason) ChooseMetric(int[] rows) => (Mae, "regression: mean absolute error, in the label's unit");

    public override string Describe(int[] rows)
    {
        var values = rows.Select(r => (double)_labels[r]).ToArray();
        return $"'{_column}': mean {values.Average():0.###}, from {values.Min():0.###} to {values.Max():0.###}";
    }

    public override IReadOnlyList<Baseline> Baselines(int[]? previousRow)
    {
        var mean = new Baseline("mean of the training rows", (train, eval) =>
        {
            float m = (float)train.Average(r => (double)_labels[r]);
            return Evaluate(Ml.Data.LoadFromEnumerable(eval.Select(r => new ScoredRow { MlxLabel = _labels[r], Score = m })));
        });
        if (previousRow is null)
            return [mean];
        // The book's naive forecast: each row's previous row in time order (known when the row is predicted).
        var last = new Baseline("last value (the previous row in time order)", (train, eval) =>
        {
            float m = (float)train.Average(r => (double)_labels[r]);
            return Evaluate(Ml.Data.LoadFromEnumerable(eval.Select(r => new ScoredRow { MlxLabel = _labels[r], Score = previousRow[r] < 0 ? m : _labels[previousRow[r]] })));
        });
        return [mean, last];
    }

    public override IEstimator<ITransformer> Linear(MLContext ml, double l2) =>
        ml.Regression.Trainers.Sdca(Columns(new SdcaRegressionTrainer.Options { NumberOfThreads = 1, L2Regularization = l2 > 0 ? (float)l2 : null }));

    public override ITransformer FitTrees(MLContext ml, TreeSettings settings, IDataView train, IDataView? validation) =>
        ml.Regression.Trainers.LightGbm(settings.Apply(Columns(new LightGbmRegressionTrainer.Options { EvaluationMetric = LightGbmRegressionTrainer.Options.EvaluateMetricType.RootMeanSquaredError }), validation))
            .Fit(train, validation);

    public override int ForestLeafRows => 1;

    public override IEstimator<ITransformer> Forest(MLContext ml, int seed, int features) =>
        ml.Regression.Trainers.FastForest(ForestOptions(new FastForestRegressionTrainer.Options(), seed, 1, ForestLeafRows));

    public override IEstimator<ITransformer> Network(NeuralNetworkOptions options) =>
        Ml.Regression.Trainers.NeuralNetwork(options);

    public override IReadOnlyDictionary<string, double> Evaluate(IDataView scored)
    {
        var m = Ml.Regression.Evaluate(scored, LabelColumn);
        return new Dictionary<string, double>
        {
            ["mae"] = m.MeanAbsoluteError,
            ["rmse"] = m.RootMeanSquaredError,
            ["r2"] = m.RSquared,
        };
    }

    public override TestDiagnostics Diagnose(IDataView scored) => new()
    {
        Actual = scored.GetColumn<float>(LabelColumn).Take(TestDiagnostics.MaxPoints).Select(v => (double)v).ToArray(),
        Predicted = scored.GetColumn<float>("Score").Take(TestDiagnostics.MaxPoints).Select(v => (double)v).ToArray(),
    };

    private sealed class ScoredRow
    {
        /// <summary>Named as <see cref="TaskHead.LabelColumn"/>, so that the schema definition finds it by name.</summary>
        public float MlxLabel { get; set; }

        public float Score { get; set; }
    }
}
