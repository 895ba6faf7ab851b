namespace Mlx.FeatureEngineering;

/// <summary>How <see cref="TextVectorizationOptions"/> standardises text before splitting (Keras' <c>standardize</c>).</summary>
public enum TextStandardization
{
    /// <summary>Lower-case, then remove ASCII punctuation <c>!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~'</c> (Keras' default).</summary>
    LowerAndStripPunctuation,

    /// <summary>The text as it is.</summary>
    None,
}

/// <summary>How text is split into tokens (Keras' <c>split</c>).</summary>
public enum TextSplit
{
    /// <summary>On runs of whitespace (Keras' default).</summary>
    Whitespace,

    /// <summary>Into characters (spaces included, as Keras' <c>"character"</c>).</summary>
    Character,
}

/// <summary>What <see cref="TextVectorizationOptions"/> writes (Keras' <c>output_mode</c>).</summary>
public enum TextOutputMode
{
    /// <summary>Token ids as a key-typed vector: 0 (missing key) = padding, 1 = out of vocabulary, then the vocabulary.</summary>
    Int,

    /// <summary>1 for each vocabulary entry present (slot 0: any out-of-vocabulary token).</summary>
    MultiHot,

    /// <summary>Token counts (slot 0: out-of-vocabulary tokens).</summary>
    Count,

    /// <summary>Counts × Keras' inverse document frequency log(1 + N / (1 + df)) (slot 0: the mean idf).</summary>
    TfIdf,

    /// <summary>The one-hot hashing trick: 1 in bucket MurmurHash3(token) mod <see cref="TextVectorizationOptions.HashBuckets"/>; no vocabulary.</summary>
    Hashed,
}

/// <summary>Options of <c>VectorizeText</c> (Keras' <c>TextVectorization</c>).</summary>
public sealed class TextVectorizationOptions
{
    /// <summary>Standardisation before splitting.</summary>
    public TextStandardization Standardize { get; set; } = TextStandardization.LowerAndStripPunctuation;

    /// <summary>Splitting into tokens.</summary>
    public TextSplit Split { get; set; } = TextSplit.Whitespace;

    /// <summary>Tokens are the 1- to N-grams of the split (joined by a space); 1 = single tokens.</summary>
    public int NGrams { get; set; } = 1;

    /// <summary>
    /// The output size, Keras' <c>max_tokens</c>: the vocabulary keeps the <c>MaxTokens − 2</c> (Int: padding and OOV
    /// included) or <c>MaxTokens − 1</c> (other modes: OOV included) most frequent tokens; null keeps them all. Ties
    /// are ordered as Keras 3 orders them: by count descending, then by token in descending ordinal order.
    /// </summary>
    public int? MaxTokens { get; set; }

    /// <summary>What is written.</summary>
    public TextOutputMode OutputMode { get; set; } = TextOutputMode.Int;

    /// <summary>Int mode: pad with 0 or truncate (keeping the first tokens) to this length; null = variable length.</summary>
    public int? SequenceLength { get; set; }

    /// <summary>Hashed mode: the number of buckets.</summary>
    public int HashBuckets { get; set; } = 1000;
}
