using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Selection;

/// <summary>A missing label column is reported against the argument that named it (labelColumnName), not inputColumnName.</summary>
public class MissingLabelTests
{
    [Fact]
    public void Missing_label_names_the_labelColumnName_argument()
    {
        var ml = new MLContext(seed: 1);
        var data = DataViews.FromRows(ml, Enumerable.Range(0, 10).Select(i => new[] { (double)i, i % 3 }).ToArray());
        var score = Assert.Throws<ArgumentException>(() => ml.Transforms.FeatureSelection.SelectFeaturesByScore("S", "Features", "Class", FeatureScoring.AnovaF, count: 1).Fit(data));
        Assert.Contains("'Class' was not found", score.Message);
        Assert.Contains("Check the labelColumnName argument", score.Message);
        var lda = Assert.Throws<ArgumentException>(() => ml.Transforms.ProjectToLinearDiscriminants("L", "Features", "Class").Fit(data));
        Assert.Contains("Check the labelColumnName argument", lda.Message);
    }
}
