namespace Mlx.FeatureEngineering.Text;

/// <summary>
/// The fitted vocabulary: token → index, the terms in index order, and (TF-IDF) Keras' idf weights. Pure (no ML.NET
/// types): counts are added document by document, then <see cref="Counter.Build"/> keeps the most frequent tokens.
/// </summary>
internal sealed class TextVocabulary
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private TextVocabulary(string[] terms, double[]? idf, long documents)
    {
        Terms = terms;
        Idf = idf;
        Documents = documents;
        var index = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (int i = 0; i < terms.Length; i++)
            index[terms[i]] = i;
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The vocabulary terms, most frequent first (without padding or out-of-vocabulary entries).</summary>
    public string[] Terms { get; }

    /// <summary>TF-IDF weights of the terms (null for other modes).</summary>
    public double[]? Idf { get; }

    /// <summary>Documents seen when fitting.</summary>
    public long Documents { get; }

    /// <summary>The term's position in <see cref="Terms"/>, or −1 (looked up by span: no string is made).</summary>
    public int IndexOf(ReadOnlySpan<char> token) => _lookup.TryGetValue(token, out int i) ? i : -1;

    /// <summary>Counts tokens and document frequencies, one document at a time.</summary>
    public sealed class Counter
    {
        // Per token: occurrences, documents, and the last document that had it (document frequency without a set per row).
        private readonly Dictionary<string, (long Count, long Documents, long LastDocument)> _counts = new(StringComparer.Ordinal);

        public long Documents { get; private set; }

        /// <summary>Counts the tokens of one document (looked up by span: a string is made only for a new token).</summary>
        public void Add(TextTokenizer tokens)
        {
            long document = ++Documents;
            var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int i = 0; i < tokens.Count; i++)
            {
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(lookup, tokens.Token(i), out _);
                entry.Count++;
                if (entry.LastDocument != document)
                {
                    entry.Documents++;
                    entry.LastDocument = document;
                }
            }
        }

        /// <summary>Adds another counter's counts and documents (counters filled from disjoint documents).</summary>
        public void Merge(Counter other)
        {
            Documents += other.Documents;
            foreach (var (token, value) in other._counts)
            {
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, token, out _);
                entry.Count += value.Count;
                entry.Documents += value.Documents;
            }
        }

        /// <summary>
        /// Keeps the <paramref name="size"/> most frequent tokens (all when null), ordered by count descending, then by
        /// token in descending ordinal order (Keras 3: <c>np.lexsort((tokens, counts))[::-1]</c>).
        /// </summary>
        public TextVocabulary Build(int? size, bool tfIdf)
        {
            var ordered = _counts.OrderByDescending(p => p.Value.Count).ThenByDescending(p => p.Key, StringComparer.Ordinal);
            var kept = (size is int n ? ordered.Take(Math.Max(0, n)) : ordered).ToArray();
            double[]? idf = tfIdf ? kept.Select(p => Math.Log(1 + (double)Documents / (1 + p.Value.Documents))).ToArray() : null;
            return new TextVocabulary(kept.Select(p => p.Key).ToArray(), idf, Documents);
        }
    }

    public void Save(BinaryWriter w)
    {
        w.Write(Documents);
        w.Write(Terms.Length);
        foreach (var t in Terms)
            w.Write(t);
        w.Write(Idf != null);
        if (Idf != null)
            foreach (var v in Idf)
                w.Write(v);
    }

    public static TextVocabulary Load(BinaryReader r)
    {
        long documents = r.ReadInt64();
        int count = r.ReadInt32();
        if (count < 0)
            throw new InvalidDataException($"vocabulary size {count}");
        var terms = new string[count];
        for (int i = 0; i < count; i++)
            terms[i] = r.ReadString();
        double[]? idf = null;
        if (r.ReadBoolean())
        {
            idf = new double[count];
            for (int i = 0; i < count; i++)
                idf[i] = r.ReadDouble();
        }
        return new TextVocabulary(terms, idf, documents);
    }
}
