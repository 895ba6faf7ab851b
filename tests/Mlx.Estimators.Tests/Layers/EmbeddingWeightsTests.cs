using Microsoft.ML;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Layers;

/// <summary>GloVe files in and out: the vectors of a vocabulary, missing words, damaged files, frozen pretrained embeddings.</summary>
public class EmbeddingWeightsTests
{
    [Fact]
    public void A_GloVe_file_gives_the_vectors_of_the_vocabulary_in_id_order_and_zeros_for_missing_words()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlx-glove-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ["the 0.5 -1 2", "movie 1e-3 4 -0.25", "unused 9 9 9", "great -3 0 1.5"]);
        try
        {
            // Id 0 padding and 1 out-of-vocabulary (no token), then "great", "movie", "zzz" (absent from the file).
            var weights = EmbeddingWeights.FromGloveFile(path, ["", "[UNK]", "great", "movie", "zzz"]);
            Assert.Equal((5, 3), (weights.Tokens, weights.Dimension));
            Assert.Equal(2, weights.MissingTokens); // "[UNK]" and "zzz"
            Assert.Equal(new float[] { -3, 0, 1.5f }, weights.Vector(2).ToArray());
            Assert.Equal(new float[] { 1e-3f, 4, -0.25f }, weights.Vector(3).ToArray());
            Assert.Equal(new float[3], weights.Vector(0).ToArray());
            Assert.Equal(new float[3], weights.Vector(4).ToArray());
            Assert.Equal(8, EmbeddingWeights.FromGloveFile(path, ["", "the"], inputDimension: 8).Tokens); // padded to the embedding's size
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Damaged_GloVe_files_name_the_line_and_the_problem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlx-glove-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllLines(path, ["the 0.5 -1 2", "movie 1 2"]);
            Assert.Contains("line 2: fewer than the 3 components of the first line", Assert.Throws<InvalidDataException>(() => EmbeddingWeights.FromGloveFile(path, ["the", "movie"])).Message);
            File.WriteAllLines(path, ["the 0.5 x 2"]);
            Assert.Contains("line 1: component 2 ('x') is not a finite number", Assert.Throws<InvalidDataException>(() => EmbeddingWeights.FromGloveFile(path, ["the"])).Message);
            Assert.Throws<FileNotFoundException>(() => EmbeddingWeights.FromGloveFile(path + ".missing", ["the"]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_trained_embedding_written_as_GloVe_starts_a_frozen_network_that_keeps_it()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SequenceTrainerTests.Rows(400, 1));
        NeuralNetworkOptions Options(EmbeddingLayer embedding) => new()
        {
            FeatureColumnName = "Tokens", Layers = [embedding, Layer.Gru(8)], Epochs = 2, BatchSize = 32, Seed = 3,
        };
        var first = ml.BinaryClassification.Trainers.NeuralNetwork(Options(Layer.Embedding(20, 5, maskZero: true))).Fit(train);
        var trained = first.Model.EmbeddingWeights();
        // Every third token a bigram (its space kept in the file, read back by the last 5 fields).
        var tokens = Enumerable.Range(0, 20).Select(i => i == 0 ? "" : i % 3 == 0 ? $"new token{i}" : $"token{i}").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"mlx-glove-{Guid.NewGuid():N}.txt");
        try
        {
            trained.WriteGloveFile(path, tokens);
            Assert.Equal(19, File.ReadAllLines(path).Length); // padding has no token
            var loaded = EmbeddingWeights.FromGloveFile(path, tokens);
            Assert.Equal(0, loaded.MissingTokens);
            for (int id = 1; id < 20; id++)
                Assert.Equal(trained.Vector(id).ToArray(), loaded.Vector(id).ToArray()); // "R" round trip: bit for bit

            var second = ml.BinaryClassification.Trainers.NeuralNetwork(Options(Layer.Embedding(20, 5, maskZero: true, trainable: false, weights: loaded))).Fit(train);
            var kept = second.Model.EmbeddingWeights();
            Assert.Equal(loaded.Values.ToArray(), kept.Values.ToArray()); // frozen: unchanged by training
            Assert.Contains("Non-trainable params: 100", second.Model.Summary());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
