namespace Mlx.Workflow;

/// <summary>The family of a candidate model.</summary>
public enum CandidateKind
{
    /// <summary>ML.NET's L-BFGS logistic / maximum-entropy regression, or SDCA least squares.</summary>
    Linear,

    /// <summary>ML.NET's FastTree gradient-boosted trees.</summary>
    Trees,

    /// <summary>An Mlx dense network (TorchSharp).</summary>
    Network,
}
