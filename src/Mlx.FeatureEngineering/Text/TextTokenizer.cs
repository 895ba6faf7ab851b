
namespace Mlx.FeatureEngineering.Text;

/// <summary>
/// Keras' text pipeline on one string: standardise, split, n-grams. The tokens are written one after another into a
/// reused character buffer and read as spans (<see cref="Token"/>), so tokenising a row allocates nothing once the
/// buffers have grown. Pure (no ML.NET types); one instance per thread.
/// </summary>
internal sealed class TextTokenizer
{
    private static readonly bool[] IsPunctuation = PunctuationTable("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'");
    private readonly TextStandardization _standardize;
    private readonly TextSplit _split;
    private readonly int _ngrams;
    private char[] _text = new char[256];
    private char[] _tokens = new char[512];
    private int _tokenLength;
    private readonly List<(int Start, int Length)> _words = new();
    private readonly List<(int Start, int Length)> _spans = new();

    public TextTokenizer(TextStandardization standardize, TextSplit split, int ngrams)
    {
        _standardize = standardize;
        _split = split;
        _ngrams = ngrams;
    }

    /// <summary>Tokens of the last <see cref="Tokenize"/> call.</summary>
    public int Count => _spans.Count;

    /// <summary>Token <paramref name="index"/> (unigrams in order, then bigrams, ...), valid until the next call.</summary>
    public ReadOnlySpan<char> Token(int index) => _tokens.AsSpan(_spans[index].Start, _spans[index].Length);

    /// <summary>Tokenises <paramref name="text"/>.</summary>
    public void Tokenize(ReadOnlySpan<char> text)
    {
        int length = Standardize(text);
        _words.Clear();
        _spans.Clear();
        _tokenLength = 0;
        var standardized = _text.AsSpan(0, length);
        if (_split == TextSplit.Character)
        {
            for (int i = 0; i < length;)
            {
                int width = char.IsHighSurrogate(standardized[i]) && i + 1 < length && char.IsLowSurrogate(standardized[i + 1]) ? 2 : 1;
                _words.Add((i, width));
                i += width;
            }
        }
        else
        {
            int start = -1;
            for (int i = 0; i <= length; i++)
            {
                bool space = i == length || char.IsWhiteSpace(standardized[i]);
                if (space && start >= 0)
                {
                    _words.Add((start, i - start));
                    start = -1;
                }
                else if (!space && start < 0)
                {
                    start = i;
                }
            }
        }
        foreach (var (start, count) in _words)
            Append(standardized.Slice(start, count));
        for (int n = 2; n <= _ngrams; n++)
        {
            for (int i = 0; i + n <= _words.Count; i++)
                AppendGram(standardized, i, n);
        }
    }

    private void AppendGram(ReadOnlySpan<char> text, int first, int n)
    {
        int total = n - 1;
        for (int k = 0; k < n; k++)
            total += _words[first + k].Length;
        Reserve(total);
        int start = _tokenLength;
        for (int k = 0; k < n; k++)
        {
            if (k > 0)
                _tokens[_tokenLength++] = ' ';
            var (s, l) = _words[first + k];
            text.Slice(s, l).CopyTo(_tokens.AsSpan(_tokenLength));
            _tokenLength += l;
        }
        _spans.Add((start, total));
    }

    private void Append(ReadOnlySpan<char> token)
    {
        Reserve(token.Length);
        token.CopyTo(_tokens.AsSpan(_tokenLength));
        _spans.Add((_tokenLength, token.Length));
        _tokenLength += token.Length;
    }

    private void Reserve(int more)
    {
        if (_tokenLength + more > _tokens.Length)
            Array.Resize(ref _tokens, Math.Max(_tokens.Length * 2, _tokenLength + more));
    }

    // Keras' lower_and_strip_punctuation: lower-case (invariant), drop ASCII punctuation; ASCII takes a table lookup.
    private int Standardize(ReadOnlySpan<char> text)
    {
        if (_text.Length < text.Length)
            _text = new char[Math.Max(text.Length, _text.Length * 2)];
        if (_standardize == TextStandardization.None)
        {
            text.CopyTo(_text);
            return text.Length;
        }
        int length = 0;
        foreach (char c in text)
        {
            if (c < 128)
            {
                if (IsPunctuation[c])
                    continue;
                _text[length++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
            else
            {
                _text[length++] = char.ToLowerInvariant(c);
            }
        }
        return length;
    }

    private static bool[] PunctuationTable(string characters)
    {
        var table = new bool[128];
        foreach (char c in characters)
            table[c] = true;
        return table;
    }

    /// <summary>The UTF-8 bytes of a token, in a reused buffer (hashing).</summary>
    public static ReadOnlySpan<byte> Utf8(ReadOnlySpan<char> token, ref byte[] buffer)
    {
        int needed = System.Text.Encoding.UTF8.GetMaxByteCount(token.Length);
        if (buffer.Length < needed)
            buffer = new byte[needed];
        int written = System.Text.Encoding.UTF8.GetBytes(token, buffer);
        return buffer.AsSpan(0, written);
    }
}
