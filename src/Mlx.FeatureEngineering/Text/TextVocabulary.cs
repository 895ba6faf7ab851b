namespace Mlx.FeatureEngineering.Text;

/// <summary>
/// The fitted vocabulary: token → index, the terms in index order, and (TF-IDF) Keras' idf weights. Pure (no ML.NET
/// types): counts are added document by document, then <see cref="Counter.Build"/> keeps the most frequent tokens.
/// </summary>
internal sealed class TextVocabulary
{
    private readonly TokenTable _index;

    private TextVocabulary(string[] terms, double[]? idf, long documents)
    {
        Terms = terms;
        Idf = idf;
        Documents = documents;
        _index = new TokenTable(terms.Length);
        foreach (string term in terms)
        {
            if (_index.Add(term) != _index.Count - 1)
                throw new InvalidDataException($"The vocabulary lists the term '{term}' twice.");
        }
    }

    /// <summary>The vocabulary terms, most frequent first (without padding or out-of-vocabulary entries).</summary>
    public string[] Terms { get; }

    /// <summary>TF-IDF weights of the terms (null for other modes).</summary>
    public double[]? Idf { get; }

    /// <summary>Documents seen when fitting.</summary>
    public long Documents { get; }

    /// <summary>The term's position in <see cref="Terms"/>, or −1 (looked up by span: no string is made).</summary>
    public int IndexOf(ReadOnlySpan<char> token) => _index.IndexOf(token);

    /// <summary>Counts tokens and document frequencies, one document at a time.</summary>
    public sealed class Counter
    {
        private readonly TokenTable _tokens = new(4096);
        // Per token id: occurrences, documents, and the last document that had it (document frequency without a set per row).
        private Tally[] _tallies = new Tally[4096];

        public long Documents { get; private set; }

        /// <summary>Counts the tokens of one document (looked up by span: nothing is allocated for a known token).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Add(TextTokenizer tokens)
        {
            long document = ++Documents;
            for (int i = 0; i < tokens.Count; i++)
            {
                ref var tally = ref TallyOf(_tokens.Add(tokens.Token(i)));
                tally.Count++;
                if (tally.LastDocument != document)
                {
                    tally.Documents++;
                    tally.LastDocument = document;
                }
            }
        }

        /// <summary>Adds another counter's counts and documents (counters filled from disjoint documents).</summary>
        public void Merge(Counter other)
        {
            Documents += other.Documents;
            for (int id = 0; id < other._tokens.Count; id++)
            {
                ref var tally = ref TallyOf(_tokens.Add(other._tokens[id]));
                tally.Count += other._tallies[id].Count;
                tally.Documents += other._tallies[id].Documents;
            }
        }

        private ref Tally TallyOf(int id)
        {
            if (id == _tallies.Length)
                Array.Resize(ref _tallies, 2 * id);
            return ref _tallies[id];
        }

        private struct Tally
        {
            public long Count;
            public long Documents;
            public long LastDocument;
        }

        /// <summary>
        /// Keeps the <paramref name="size"/> most frequent tokens (all when null), ordered by count descending, then by
        /// token in descending ordinal order (Keras 3: <c>np.lexsort((tokens, counts))[::-1]</c>).
        /// </summary>
        public TextVocabulary Build(int? size, bool tfIdf)
        {
            var ids = new int[_tokens.Count];
            for (int i = 0; i < ids.Length; i++)
                ids[i] = i;
            Array.Sort(ids, (a, b) => _tallies[a].Count != _tallies[b].Count ? _tallies[b].Count.CompareTo(_tallies[a].Count) : _tokens[b].SequenceCompareTo(_tokens[a]));
            var kept = size is int n ? ids.AsSpan(0, Math.Clamp(n, 0, ids.Length)) : ids;
            double[]? idf = null;
            if (tfIdf)
            {
                idf = new double[kept.Length];
                for (int i = 0; i < kept.Length; i++)
                    idf[i] = Math.Log(1 + (double)Documents / (1 + _tallies[kept[i]].Documents));
            }
            var terms = new string[kept.Length];
            for (int i = 0; i < kept.Length; i++)
                terms[i] = new string(_tokens[kept[i]]);
            return new TextVocabulary(terms, idf, Documents);
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

    public static TextVocabulary Load(Mlx.Core.Persistence.SavedState state)
    {
        var r = state.Reader;
        long documents = r.ReadInt64();
        int count = state.ReadCount("vocabulary", 1);
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
