using Xunit;

namespace Mlx.Workflow.Tests.Tasks;

/// <summary>
/// The workflow's auprc is scikit-learn's average precision. Expected values from scikit-learn 1.2.1:
/// <c>average_precision_score([1,0,1,1,0,0,1,0,0,0], [.9,.8,.8,.7,.6,.6,.6,.2,.1,.1])</c> = 0.7470238095238095 and,
/// for a constant score, the positive share 0.4.
/// </summary>
public class AveragePrecisionTests
{
    private static readonly bool[] Labels = [true, false, true, true, false, false, true, false, false, false];

    [Fact]
    public void Matches_scikit_learn_with_tied_scores()
    {
        float[] scores = [0.9f, 0.8f, 0.8f, 0.7f, 0.6f, 0.6f, 0.6f, 0.2f, 0.1f, 0.1f];
        Assert.Equal(0.7470238095238095, AveragePrecision.Compute(scores, Labels), 12);
    }

    [Fact]
    public void A_constant_score_earns_the_positive_share_and_no_positive_gives_NaN()
    {
        Assert.Equal(0.4, AveragePrecision.Compute(Enumerable.Repeat(0.5f, 10).ToArray(), Labels), 12);
        Assert.True(double.IsNaN(AveragePrecision.Compute([0.1f, 0.2f], [false, false])));
    }
}
