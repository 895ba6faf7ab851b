using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog method <c>mlContext.Transforms.Text.VectorizeText(...)</c>.</summary>
public static class TextVectorizationCatalog
{
    /// <summary>
    /// Keras' <c>TextVectorization</c>: standardise, split, n-grams, a vocabulary of the most frequent tokens, then token
    /// ids (a key vector, for an Embedding layer), multi-hot, counts, TF-IDF or hashed multi-hot; see
    /// <see cref="TextVectorizationOptions"/>.
    /// </summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The text column; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="options">The options (Keras' defaults when null: lower-case and strip punctuation, whitespace split, Int).</param>
    public static TextVectorizationEstimator VectorizeText(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string? inputColumnName = null, TextVectorizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextVectorizationEstimator(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, options ?? new TextVectorizationOptions());
    }
}
