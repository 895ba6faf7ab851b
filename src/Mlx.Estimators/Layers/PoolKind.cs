namespace Mlx.Estimators;

/// <summary>Max or average.</summary>
public enum PoolKind
{
    /// <summary>The largest value.</summary>
    Max = 0,

    /// <summary>The mean.</summary>
    Average = 1,
}
