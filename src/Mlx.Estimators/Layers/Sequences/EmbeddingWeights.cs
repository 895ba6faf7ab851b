using System.Globalization;
using System.Text;

namespace Mlx.Estimators;

/// <summary>
/// Pretrained word vectors for <see cref="Layer.Embedding"/>: one row per token id, e.g. GloVe vectors looked up for a
/// <c>VectorizeText</c> vocabulary (the book's 6.1.3). Rows of tokens the file lacks are zero, as in the book's
/// <c>embedding_matrix</c> (and therefore as Keras' <c>Constant</c> initializer leaves them); <see cref="MissingTokens"/>
/// counts them.
/// </summary>
public sealed class EmbeddingWeights
{
    private readonly float[] _values;

    /// <summary>Wraps a row-major (tokens × dimension) matrix.</summary>
    public EmbeddingWeights(float[] values, int tokens, int dimension, int missingTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (tokens < 1 || dimension < 1 || values.Length != (long)tokens * dimension)
            throw new ArgumentException($"{values.Length} values do not make a {tokens} × {dimension} embedding matrix.", nameof(values));
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Embedding weight of token {i / dimension}, component {i % dimension} is {values[i]}: weights must be finite.", nameof(values));
        }
        _values = values;
        Tokens = tokens;
        Dimension = dimension;
        MissingTokens = missingTokens;
    }

    /// <summary>Rows: the embedding's input dimension.</summary>
    public int Tokens { get; }

    /// <summary>Columns: the size of each vector.</summary>
    public int Dimension { get; }

    /// <summary>Tokens of the vocabulary the file had no vector for (their rows are zero).</summary>
    public int MissingTokens { get; }

    /// <summary>The row-major matrix.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The vector of token id <paramref name="token"/>.</summary>
    public ReadOnlySpan<float> Vector(int token) => _values.AsSpan(token * Dimension, Dimension);

    /// <summary>
    /// Reads a GloVe text file (one token per line followed by its space-separated components) and keeps the vectors of
    /// <paramref name="tokensById"/>: entry i is the token of id i (for <c>VectorizeText</c>, its <c>TokensById</c>:
    /// padding, "[UNK]", then the vocabulary). Ids whose token is empty or absent from the file get a zero row. The
    /// matrix has <paramref name="tokensById"/>.Count rows, or <paramref name="inputDimension"/> when larger.
    /// </summary>
    public static EmbeddingWeights FromGloveFile(string path, IReadOnlyList<string> tokensById, int? inputDimension = null)
    {
        ArgumentNullException.ThrowIfNull(tokensById);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The GloVe file '{path}' does not exist. Give the path of a text file of 'token v1 v2 ...' lines (e.g. glove.6B.100d.txt).", path);
        int rows = Math.Max(tokensById.Count, inputDimension ?? 0);
        var ids = new Dictionary<string, int>(tokensById.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokensById.Count; i++)
        {
            if (!string.IsNullOrEmpty(tokensById[i]))
                ids.TryAdd(tokensById[i], i);
        }
        float[]? values = null;
        int dimension = 0, found = 0;
        var seen = new bool[rows];
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            int space = line.IndexOf(' ');
            if (space <= 0)
                throw new InvalidDataException($"GloVe file '{path}', line {lineNumber}: expected a token followed by numbers, found '{Truncate(line)}'.");
            if (dimension == 0)
            {
                // The first line sets the dimension (WriteGloveFile puts a token without spaces first).
                dimension = line.AsSpan(space + 1).Count(' ') + 1;
                values = new float[(long)rows * dimension];
            }
            else
            {
                // The vector is the last `dimension` fields: a token may hold spaces (bigrams such as "new york").
                space = line.Length;
                for (int k = 0; k < dimension && space > 0; k++)
                    space = line.LastIndexOf(' ', space - 1);
                if (space <= 0)
                    throw new InvalidDataException($"GloVe file '{path}', line {lineNumber}: fewer than the {dimension} components of the first line, or no token. The file is damaged or mixes dimensions.");
            }
            var parts = line.AsSpan(space + 1);
            if (!ids.TryGetValue(line[..space], out int id) || seen[id])
                continue;
            var row = values.AsSpan(id * dimension, dimension);
            int j = 0;
            foreach (var range in parts.Split(' '))
            {
                if (!float.TryParse(parts[range], NumberStyles.Float, CultureInfo.InvariantCulture, out row[j]) || !float.IsFinite(row[j]))
                    throw new InvalidDataException($"GloVe file '{path}', line {lineNumber}: component {j + 1} ('{parts[range].ToString()}') is not a finite number.");
                j++;
            }
            seen[id] = true;
            found++;
        }
        if (values is null)
            throw new InvalidDataException($"The GloVe file '{path}' is empty.");
        int wanted = ids.Count;
        return new EmbeddingWeights(values, rows, dimension, wanted - found);
    }

    /// <summary>
    /// Writes the vectors of <paramref name="tokensById"/> in GloVe's text format (tokens that are empty, e.g. padding,
    /// are skipped; bigrams keep their space, and <see cref="FromGloveFile"/> reads them back), e.g. to reuse an embedding trained by one network in another (<see cref="NeuralNetworkModel.EmbeddingWeights"/>).
    /// </summary>
    public void WriteGloveFile(string path, IReadOnlyList<string> tokensById)
    {
        ArgumentNullException.ThrowIfNull(tokensById);
        if (tokensById.Count > Tokens)
            throw new ArgumentException($"{tokensById.Count} tokens but the matrix has {Tokens} rows.", nameof(tokensById));
        // Tokens with spaces (bigrams) are written as they are: the reader takes the last Dimension fields as the vector.
        // A token without spaces goes first, because the first line tells the reader the dimension.
        var ids = Enumerable.Range(0, tokensById.Count).Where(id => !string.IsNullOrEmpty(tokensById[id]))
            .OrderBy(id => tokensById[id].Contains(' ') ? 1 : 0).ToArray();
        if (ids.Length > 0 && tokensById[ids[0]].Contains(' '))
            throw new ArgumentException("Every token contains a space: GloVe's format needs one without (its first line tells the dimension).", nameof(tokensById));
        foreach (var token in tokensById.Where(t => t is not null && (t.Contains('\n') || t.Contains('\r') || t != t.Trim())))
            throw new ArgumentException($"Token '{token}' has a line break or leading/trailing spaces, which GloVe's one-line-per-token format cannot hold.", nameof(tokensById));
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var line = new StringBuilder();
        foreach (int id in ids)
        {
            string token = tokensById[id];
            line.Clear().Append(token);
            foreach (float v in Vector(id))
                line.Append(' ').Append(v.ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine(line);
        }
    }

    private static string Truncate(string line) => line.Length <= 40 ? line : line[..40] + "…";
}
