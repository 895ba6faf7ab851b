using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace Mlx.Workflow;

/// <summary>
/// One LightGBM configuration of the boosted-trees candidates: leaves per tree, learning rate (shrinkage), the most
/// boosting rounds, the fewest rows per leaf, and the seed. The other settings are LightGBM's defaults (255 bins).
/// </summary>
/// <param name="Leaves">Leaves per tree.</param>
/// <param name="LearningRate">Shrinkage of each round.</param>
/// <param name="Rounds">Boosting rounds: the most (validation rows early-stop them) or exactly (no validation rows).</param>
/// <param name="Seed">LightGBM's seed.</param>
/// <param name="MinimumLeafRows">Rows a leaf needs (LightGBM's min_data_in_leaf; see <see cref="LeafRows"/>).</param>
internal sealed record TreeSettings(int Leaves, double LearningRate, int Rounds, int Seed, int MinimumLeafRows = 20)
{
    /// <summary>
    /// LightGBM's 20 rows per leaf, fewer on small data: with 130 training rows a tree could barely split twice (a
    /// random forest, whose leaves hold single rows, beat boosting on such sets of the corpus). A hundredth of the
    /// rows, between 2 and 20.
    /// </summary>
    public static int LeafRows(int trainingRows) => Math.Clamp(trainingRows / 100, 2, 20);

    /// <summary>The most rounds of a search fit (early stopping usually ends it far sooner).</summary>
    public const int MaxRounds = 2000;

    /// <summary>Rounds without a lower validation loss before boosting stops (the usual LightGBM / XGBoost setting).</summary>
    public const int EarlyStoppingRounds = 20;

    /// <summary>LightGBM's rounds to stop after without improvement: only with validation rows.</summary>
    public int EarlyStopping(IDataView? validation) => validation is null ? 0 : EarlyStoppingRounds;

    /// <summary>
    /// Sets the options every task's LightGBM shares: these settings, early stopping when <paramref name="validation"/>
    /// is given, one thread and LightGBM's deterministic mode (the same trees for a seed). The task sets its metric.
    /// </summary>
    public TOptions Apply<TOptions, TOutput, TTransformer, TModel>(LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase options, IDataView? validation)
        where TOptions : LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        options.NumberOfLeaves = Leaves;
        options.MinimumExampleCountPerLeaf = MinimumLeafRows;
        options.LearningRate = LearningRate;
        options.NumberOfIterations = Rounds;
        options.EarlyStoppingRound = EarlyStopping(validation);
        options.NumberOfThreads = 1;
        options.Seed = Seed;
        options.Deterministic = true;
        return (TOptions)options;
    }
}
