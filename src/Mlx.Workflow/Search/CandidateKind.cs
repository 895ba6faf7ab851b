namespace Mlx.Workflow;

/// <summary>The family of a candidate model.</summary>
public enum CandidateKind
{
    /// <summary>ML.NET's L-BFGS logistic / maximum-entropy regression, or SDCA least squares.</summary>
    Linear,

    /// <summary>LightGBM gradient-boosted trees (ML.NET's Microsoft.ML.LightGbm).</summary>
    Trees,

    /// <summary>An Mlx dense network (TorchSharp).</summary>
    Network,

    /// <summary>ML.NET's FastForest random forest.</summary>
    Forest,
}
