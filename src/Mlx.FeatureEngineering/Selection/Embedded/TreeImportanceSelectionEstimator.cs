using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers.FastTree;
using Mlx.Core.Data;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Embedded selection by gradient-boosted tree importance: trains ML.NET's FastTree (binary classification for a
/// Boolean label, regression otherwise — a key label is regressed on its index) and keeps the top count slots by
/// total split gain (<c>GetFeatureWeights</c>), or those with gain ≥ threshold. Scores are the gains.
/// </summary>
public sealed class TreeImportanceSelectionEstimator : SelectionEstimatorBase
{
    private readonly int _trees, _leaves, _seed;

    internal TreeImportanceSelectionEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, string labelColumnName,
        int? count, double? threshold, int numberOfTrees, int numberOfLeaves, int seed)
        : base(env, nameof(TreeImportanceSelectionEstimator), outputColumnName, inputColumnName, labelColumnName, threshold is null ? count ?? 10 : count, null, threshold)
    {
        if (numberOfTrees < 1 || numberOfLeaves < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfTrees), "numberOfTrees must be at least 1 and numberOfLeaves at least 2.");
        _trees = numberOfTrees;
        _leaves = numberOfLeaves;
        _seed = seed;
    }

    private protected override FeatureSelectionTransformer FitCore(IDataView input, SlotColumn column)
    {
        var label = NumericLabelColumn.Resolve(input.Schema, LabelColumnName); // checks the label's type
        var ml = new MLContext(_seed);
        const string features = "__MlxTreeFeatures", target = "__MlxTreeLabel";
        var prepare = ml.Transforms.Concatenate(features, column.Name);
        VBuffer<float> gains = default;
        if (label.Type == BooleanDataViewType.Instance)
        {
            var data = prepare.Fit(input).Transform(input);
            var model = ml.BinaryClassification.Trainers.FastTree(LabelColumnName, features, numberOfLeaves: _leaves, numberOfTrees: _trees).Fit(data);
            model.Model.SubModel.GetFeatureWeights(ref gains);
        }
        else
        {
            var withTarget = prepare.Append(ml.Transforms.Conversion.ConvertType(target, LabelColumnName, DataKind.Single));
            var data = withTarget.Fit(input).Transform(input);
            var model = ml.Regression.Trainers.FastTree(target, features, numberOfLeaves: _leaves, numberOfTrees: _trees).Fit(data);
            model.Model.GetFeatureWeights(ref gains);
        }
        var scores = new double[column.SlotCount];
        foreach (var (j, g) in gains.Items())
            scores[j] = g;
        return Build(column, $"FastTree gain ({_trees} trees, {_leaves} leaves)", scores, pValues: null);
    }
}
