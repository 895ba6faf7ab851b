using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests;

/// <summary>Every Mlx transform in one pipeline, used row by row through PredictionEngine: same output as the batch transform.</summary>
public class PredictionEngineTests
{
    private sealed class Input
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];

        public string Color { get; set; } = "";

        public string Label { get; set; } = "";
    }

    private sealed class Output
    {
        [VectorType(4)]
        public float[] Log { get; set; } = [];

        [VectorType(4)]
        public float[] Bins { get; set; } = [];

        [VectorType(2)]
        public float[] Pca { get; set; } = [];

        [VectorType(2)]
        public float[] Lda { get; set; } = [];

        [VectorType(3)]
        public float[] Dummies { get; set; } = [];

        [VectorType(2)]
        public float[] Selected { get; set; } = [];
    }

    [Fact]
    public void Whole_pipeline_gives_the_batch_result_row_by_row()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        string[] colors = ["red", "green", "blue", "white"];
        var rows = Enumerable.Range(0, 300).Select(i =>
        {
            int c = i % 3;
            return new Input
            {
                Features = Enumerable.Range(0, 4).Select(j => (float)(Math.Exp(random.NextDouble()) + c * (j + 1))).ToArray(),
                Color = colors[random.Next(4)],
                Label = $"class{c}",
            };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.NormalizeBoxCox("BoxCox", "Features", standardize: true)
            .Append(ml.Transforms.LogTransform("Log", "Features"))
            .Append(ml.Transforms.Discretize("Bins", "Features", 4))
            .Append(ml.Transforms.ProjectToPrincipalComponentsExact("Pca", "BoxCox", 2))
            .Append(ml.Transforms.ProjectToLinearDiscriminants("Lda", "BoxCox", "Label"))
            .Append(ml.Transforms.Categorical.DummyEncoding("Dummies", "Color"))
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesByScore("Selected", "BoxCox", "Label", FeatureScoring.AnovaF, count: 2))
            .Fit(data);
        var batch = ml.Data.CreateEnumerable<Output>(model.Transform(data), reuseRowObject: false).ToList();
        var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
        for (int i = 0; i < 20; i++)
        {
            var single = engine.Predict(rows[i]);
            Assert.Equal(batch[i].Log, single.Log);
            Assert.Equal(batch[i].Bins, single.Bins);
            Assert.Equal(batch[i].Pca, single.Pca);
            Assert.Equal(batch[i].Lda, single.Lda);
            Assert.Equal(batch[i].Dummies, single.Dummies);
            Assert.Equal(batch[i].Selected, single.Selected);
            Assert.Equal(1f, single.Dummies.Sum() + (rows[i].Color == "blue" ? 1 : 0)); // blue is the dropped level
        }
    }
}
