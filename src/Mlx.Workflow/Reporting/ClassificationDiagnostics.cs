namespace Mlx.Workflow;

/// <summary>
/// The classification parts of <see cref="TestDiagnostics"/> from per-row classes: the confusion matrix, per-class
/// precision and recall, and for two classes the ROC and precision-recall curves over the scores with the model's
/// operating point (its own decisions).
/// </summary>
internal static class ClassificationDiagnostics
{
    /// <summary>Curves are thinned to about this many points (every threshold is kept below it).</summary>
    private const int CurvePoints = 200;

    /// <summary>Confusion matrix and per-class scores of actual and predicted class indices (negative: missing, skipped).</summary>
    public static TestDiagnostics Create(IReadOnlyList<string> classes, IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        int k = classes.Count;
        var matrix = new int[k][];
        for (int i = 0; i < k; i++)
            matrix[i] = new int[k];
        for (int r = 0; r < actual.Count; r++)
        {
            if (actual[r] >= 0 && predicted[r] >= 0)
                matrix[actual[r]][predicted[r]]++;
        }
        var perClass = Enumerable.Range(0, k).Select(c =>
        {
            int support = matrix[c].Sum(), predictedAs = matrix.Sum(row => row[c]);
            return new ClassScores(classes[c], predictedAs == 0 ? double.NaN : (double)matrix[c][c] / predictedAs, support == 0 ? double.NaN : (double)matrix[c][c] / support, support);
        }).ToArray();
        return new TestDiagnostics { Classes = classes, ConfusionMatrix = matrix, PerClass = perClass };
    }

    /// <summary>Adds the ROC and precision-recall curves of scores (higher: positive) and the operating point of the model's decisions.</summary>
    public static TestDiagnostics WithCurves(TestDiagnostics diagnostics, IReadOnlyList<float> scores, IReadOnlyList<bool> positive, IReadOnlyList<bool> decided)
    {
        int positives = positive.Count(p => p), negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0)
            return diagnostics;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var roc = new List<ThresholdPoint> { new(0, 0, double.PositiveInfinity) };
        var pr = new List<ThresholdPoint>();
        int tp = 0, fp = 0;
        for (int k = 0; k < order.Length;)
        {
            float threshold = scores[order[k]];
            for (; k < order.Length && scores[order[k]] == threshold; k++)
            {
                if (positive[order[k]])
                    tp++;
                else
                    fp++;
            }
            roc.Add(new ThresholdPoint((double)fp / negatives, (double)tp / positives, threshold));
            pr.Add(new ThresholdPoint((double)tp / positives, (double)tp / (tp + fp), threshold));
        }
        int decidedTp = 0, decidedFp = 0;
        for (int r = 0; r < positive.Count; r++)
        {
            if (!decided[r])
                continue;
            if (positive[r])
                decidedTp++;
            else
                decidedFp++;
        }
        return diagnostics with
        {
            Roc = Thin(roc),
            PrecisionRecall = Thin(pr),
            Operating = new OperatingPoint((double)decidedFp / negatives, (double)decidedTp / positives, decidedTp + decidedFp == 0 ? double.NaN : (double)decidedTp / (decidedTp + decidedFp)),
            PositiveShare = (double)positives / positive.Count,
        };
    }

    /// <summary>At most about <see cref="CurvePoints"/> points, evenly spaced along the curve, its ends kept.</summary>
    private static IReadOnlyList<ThresholdPoint> Thin(List<ThresholdPoint> curve)
    {
        if (curve.Count <= CurvePoints)
            return curve;
        int step = (curve.Count + CurvePoints - 1) / CurvePoints;
        return curve.Where((_, i) => i % step == 0 || i == curve.Count - 1).ToArray();
    }
}
