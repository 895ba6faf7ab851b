using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mlx.FeatureEngineering.Text;

/// <summary>
/// Keras' text pipeline on one string: standardise, split, n-grams. Tokens are spans of one reused character buffer
/// (<see cref="Token"/>), so tokenising a row allocates nothing once the buffers have grown. Pure (no ML.NET types); one
/// instance per thread.
/// </summary>
/// <remarks>
/// Whitespace split: one pass writes the standardised words with a single space between them (stripping punctuation
/// never creates whitespace, so standardising while splitting is the same as standardising first). A unigram is then a
/// span of the buffer, and so is an n-gram — Keras joins its words with one space — so no token is copied. ASCII takes
/// one table lookup per character. Character split: the standardised characters are the unigrams; n-grams ("a b") are
/// written after them.
/// </remarks>
internal sealed class TextTokenizer
{
    // Markers in the ASCII maps (code points of no character: U+FFFE and U+FFFF are noncharacters).
    private const char Dropped = '\uFFFE', Whitespace = '\uFFFF';
    private static readonly char[] StandardizedAscii = AsciiMap(standardize: true);
    private static readonly char[] RawAscii = AsciiMap(standardize: false);

    private readonly bool _standardize;
    private readonly TextSplit _split;
    private readonly int _ngrams;
    private readonly char[] _ascii;
    private char[] _buffer = new char[512];
    private (int Start, int Length)[] _spans = new (int, int)[128];

    public TextTokenizer(TextStandardization standardize, TextSplit split, int ngrams)
    {
        _standardize = standardize != TextStandardization.None;
        _split = split;
        _ngrams = ngrams;
        _ascii = _standardize ? StandardizedAscii : RawAscii;
    }

    /// <summary>Tokens of the last <see cref="Tokenize"/> call.</summary>
    public int Count { get; private set; }

    /// <summary>Token <paramref name="index"/> (unigrams in order, then bigrams, ...), valid until the next call.</summary>
    public ReadOnlySpan<char> Token(int index)
    {
        var (start, length) = _spans[index];
        return _buffer.AsSpan(start, length);
    }

    /// <summary>Tokenises <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Tokenize(ReadOnlySpan<char> text)
    {
        Count = 0;
        if (_split == TextSplit.Character)
        {
            TokenizeCharacters(text);
            return;
        }
        if (_buffer.Length < text.Length)
            _buffer = new char[Math.Max(text.Length, 2 * _buffer.Length)];
        // The output is never longer than the input: a kept character for a character, one space for a run of whitespace.
        ref char output = ref MemoryMarshal.GetArrayDataReference(_buffer);
        ref char map = ref MemoryMarshal.GetArrayDataReference(_ascii);
        int written = 0, start = -1;
        foreach (char character in text)
        {
            // ASCII: one lookup gives the (lower-cased) character, or Dropped, or Whitespace.
            char c = character < 128 ? Unsafe.Add(ref map, character) : char.IsWhiteSpace(character) ? Whitespace : _standardize ? char.ToLowerInvariant(character) : character;
            if (c < Dropped)
            {
                if (start < 0)
                    start = written;
                Unsafe.Add(ref output, written++) = c;
            }
            else if (c == Whitespace && start >= 0)
            {
                AddSpan(start, written - start);
                Unsafe.Add(ref output, written++) = ' ';
                start = -1;
            }
        }
        if (start >= 0)
            AddSpan(start, written - start);
        int words = Count;
        // An n-gram runs from its first word's start to its last word's end: the words are one space apart.
        for (int n = 2; n <= _ngrams; n++)
        {
            for (int i = 0; i + n <= words; i++)
            {
                var last = _spans[i + n - 1];
                AddSpan(_spans[i].Start, last.Start + last.Length - _spans[i].Start);
            }
        }
    }

    private void TokenizeCharacters(ReadOnlySpan<char> text)
    {
        // The standardised text first; each character (a surrogate pair counts as one) is a unigram.
        int length = 0;
        Reserve(text.Length);
        foreach (char c in text)
        {
            if (c < 128)
            {
                if (_ascii[c] != Dropped)
                    _buffer[length++] = _ascii[c] == Whitespace ? c : _ascii[c];
            }
            else
            {
                _buffer[length++] = _standardize ? char.ToLowerInvariant(c) : c;
            }
        }
        for (int i = 0; i < length;)
        {
            int width = char.IsHighSurrogate(_buffer[i]) && i + 1 < length && char.IsLowSurrogate(_buffer[i + 1]) ? 2 : 1;
            AddSpan(i, width);
            i += width;
        }
        // n-grams written after the text, their characters joined by one space.
        int words = Count, end = length;
        for (int n = 2; n <= _ngrams; n++)
        {
            for (int i = 0; i + n <= words; i++)
            {
                int total = n - 1;
                for (int k = 0; k < n; k++)
                    total += _spans[i + k].Length;
                Reserve(end + total);
                int start = end;
                for (int k = 0; k < n; k++)
                {
                    if (k > 0)
                        _buffer[end++] = ' ';
                    var (s, l) = _spans[i + k];
                    _buffer.AsSpan(s, l).CopyTo(_buffer.AsSpan(end));
                    end += l;
                }
                AddSpan(start, total);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddSpan(int start, int length)
    {
        if (Count == _spans.Length)
            Array.Resize(ref _spans, 2 * _spans.Length);
        _spans[Count++] = (start, length);
    }

    private void Reserve(int size)
    {
        if (size > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(size, 2 * _buffer.Length));
    }

    // Per ASCII character: itself (lower-cased when standardising), Dropped (Keras' punctuation, when standardising) or
    // Whitespace (char.IsWhiteSpace).
    private static char[] AsciiMap(bool standardize)
    {
        var map = new char[128];
        for (int c = 0; c < 128; c++)
            map[c] = char.IsWhiteSpace((char)c) ? Whitespace : standardize && c is >= 'A' and <= 'Z' ? (char)(c + 32) : (char)c;
        if (standardize)
        {
            foreach (char c in "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'")
                map[c] = Dropped;
        }
        return map;
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
