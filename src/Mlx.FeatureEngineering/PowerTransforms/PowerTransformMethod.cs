namespace Mlx.FeatureEngineering;

/// <summary>The family of power transform (as scikit-learn's <c>PowerTransformer(method=...)</c>).</summary>
public enum PowerTransformMethod
{
    /// <summary>Box-Cox: <c>(x^λ − 1)/λ</c>, or <c>ln x</c> at λ = 0. Needs strictly positive values.</summary>
    BoxCox = 0,

    /// <summary>Yeo-Johnson: Box-Cox of <c>x + 1</c> for x ≥ 0 and of <c>1 − x</c> with power <c>2 − λ</c> for x &lt; 0. Any real values.</summary>
    YeoJohnson = 1,
}
