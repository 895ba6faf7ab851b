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
            var parts = line.AsSpan(space + 1);
            int components = parts.Count(' ') + 1;
            if (dimension == 0)
            {
                dimension = components;
                values = new float[(long)rows * dimension];
            }
            else if (components != dimension)
            {
                throw new InvalidDataException($"GloVe file '{path}', line {lineNumber}: {components} components where the first line has {dimension}. The file is damaged or mixes dimensions.");
            }
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
    /// are skipped), e.g. to reuse an embedding trained by one network in another (<see cref="NeuralNetworkModel.EmbeddingWeights"/>).
    /// </summary>
    public void WriteGloveFile(string path, IReadOnlyList<string> tokensById)
    {
        ArgumentNullException.ThrowIfNull(tokensById);
        if (tokensById.Count > Tokens)
            throw new ArgumentException($"{tokensById.Count} tokens but the matrix has {Tokens} rows.", nameof(tokensById));
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var line = new StringBuilder();
        for (int id = 0; id < tokensById.Count; id++)
        {
            string token = tokensById[id];
            if (string.IsNullOrEmpty(token) || token.Contains(' '))
                continue;
            line.Clear().Append(token);
            foreach (float v in Vector(id))
                line.Append(' ').Append(v.ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine(line);
        }
    }

    private static string Truncate(string line) => line.Length <= 40 ? line : line[..40] + "…";
}
