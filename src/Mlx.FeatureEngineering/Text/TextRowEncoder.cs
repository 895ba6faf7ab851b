using Microsoft.ML.Data;
using Mlx.FeatureEngineering.Text;

namespace Mlx.FeatureEngineering;

/// <summary>
/// Encodes one text at a time as a fitted <see cref="TextVectorizationTransformer"/> says: token ids (Int) or the sorted
/// non-zero slots of a multi-hot / count / TF-IDF / hashed vector. Owns its tokenizer and scratch buffers, so each
/// thread of a batch and each row cursor has its own; no allocation per text once warm.
/// </summary>
internal sealed class TextRowEncoder
{
    private readonly TextVectorizationOptions _options;
    private readonly TextVocabulary? _vocabulary;
    private readonly TextTokenizer _tokenizer;
    private readonly float[] _accumulated;
    private readonly List<int> _touched = [];
    private readonly double[]? _idf;
    private byte[] _utf8 = new byte[64];

    public TextRowEncoder(TextVectorizationOptions options, TextVocabulary? vocabulary, int slots, double[]? idf)
    {
        _options = options;
        _vocabulary = vocabulary;
        _tokenizer = new TextTokenizer(options.Standardize, options.Split, options.NGrams);
        _accumulated = options.OutputMode == TextOutputMode.Int ? [] : new float[slots];
        _idf = idf;
    }

    /// <summary>Int mode: appends the text's token ids (padded with 0 or truncated to the sequence length, if any).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AppendIds(ReadOnlySpan<char> text, List<uint> ids)
    {
        _tokenizer.Tokenize(text);
        int size = _options.SequenceLength ?? _tokenizer.Count;
        for (int i = 0; i < size; i++)
            ids.Add(i < _tokenizer.Count ? (uint)(_vocabulary!.IndexOf(_tokenizer.Token(i)) + 2) : 0u); // −1 + 2 = 1: out of vocabulary
    }

    /// <summary>Vector modes: appends the text's non-zero slots in increasing order and their values.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AppendSlots(ReadOnlySpan<char> text, List<int> indices, List<float> values)
    {
        _tokenizer.Tokenize(text);
        bool counts = _options.OutputMode is TextOutputMode.Count or TextOutputMode.TfIdf;
        for (int t = 0; t < _tokenizer.Count; t++)
        {
            int slot = Slot(_tokenizer.Token(t));
            if (_accumulated[slot] == 0)
                _touched.Add(slot);
            _accumulated[slot] = counts ? _accumulated[slot] + 1 : 1;
        }
        _touched.Sort();
        foreach (int slot in _touched)
        {
            indices.Add(slot);
            values.Add(_idf != null ? (float)(_accumulated[slot] * _idf[slot]) : _accumulated[slot]);
            _accumulated[slot] = 0;
        }
        _touched.Clear();
    }

    /// <summary>
    /// A vector of <paramref name="slots"/> from sorted non-zero slots and their values, reusing <paramref name="value"/>'s
    /// buffers; dense when every slot is non-zero (ML.NET's editor then has no indices).
    /// </summary>
    public static VBuffer<float> Vector(ref VBuffer<float> value, int slots, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        var editor = VBufferEditor.Create(ref value, slots, indices.Length);
        if (indices.Length < slots)
            indices.CopyTo(editor.Indices);
        values.CopyTo(editor.Values);
        return editor.Commit();
    }

    private int Slot(ReadOnlySpan<char> token) => _options.OutputMode == TextOutputMode.Hashed
        ? (int)(System.IO.Hashing.XxHash32.HashToUInt32(TextTokenizer.Utf8(token, ref _utf8)) % (uint)_accumulated.Length)
        : _vocabulary!.IndexOf(token) + 1; // −1 + 1 = slot 0, out of vocabulary
}
