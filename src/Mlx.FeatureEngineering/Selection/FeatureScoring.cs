namespace Mlx.FeatureEngineering;

/// <summary>How <see cref="ScoreSelectionEstimator"/> scores each slot against the label.</summary>
public enum FeatureScoring
{
    /// <summary>Chi-square statistic of non-negative features (counts, frequencies, indicators) against the classes (scikit-learn's <c>chi2</c>).</summary>
    ChiSquare = 0,

    /// <summary>One-way ANOVA F statistic against the classes (<c>f_classif</c>).</summary>
    AnovaF = 1,

    /// <summary>Pearson correlation with a numeric label (<c>r_regression</c>); ranked by |r|; p-values of the F-test (<c>f_regression</c>).</summary>
    Correlation = 2,

    /// <summary>Mutual information with the label in nats (<c>mutual_info_classif</c> / <c>mutual_info_regression</c>).</summary>
    MutualInformation = 3,
}
