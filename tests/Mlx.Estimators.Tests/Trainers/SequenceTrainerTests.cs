using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// Embedding-first networks through the trainer: key-typed token ids (VectorizeText's Int output) padded at the end,
/// an order-dependent task only a masked recurrent layer solves, save/load in a new process, PredictionEngine, a padded
/// row scoring exactly like the unpadded one, and the errors for ids the embedding does not have.
/// </summary>
public class SequenceTrainerTests
{
    internal const int Length = 12, Vocabulary = 20;

    public sealed class Row
    {
        [VectorType(Length), KeyType(Vocabulary - 1)]
        public uint[] Tokens { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>
    /// Rows of 3–12 ids in 2..19 padded with 0 (the missing key) at the end; the label says whether the LAST real id is even.
    /// A bag of words cannot tell (the same ids in another order), and without the mask the network sees the padding last.
    /// </summary>
    public static Row[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int length = random.Next(3, Length + 1);
            var tokens = new uint[Length];
            for (int t = 0; t < length; t++)
                tokens[t] = (uint)random.Next(2, Vocabulary);
            return new Row { Tokens = tokens, Label = tokens[length - 1] % 2 == 0 };
        }).ToArray();
    }

    private static NeuralNetworkOptions Options(Layer recurrent, int epochs = 12, Layer? first = null) => new()
    {
        FeatureColumnName = "Tokens",
        Layers = [first ?? Layer.Embedding(Vocabulary, 8, maskZero: true), recurrent],
        Epochs = epochs, BatchSize = 32, Seed = 3, Optimizer = Optimizer.RmsProp(0.01),
    };

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("bidirectional")]
    public void A_masked_recurrent_network_learns_which_token_came_last(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(1500, 1));
        var test = ml.Data.LoadFromEnumerable(Rows(400, 2));
        Layer recurrent = kind switch
        {
            "lstm" => Layer.Lstm(16),
            "gru" => Layer.Gru(16),
            _ => Layer.Bidirectional(Layer.Gru(8)),
        };
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(Options(recurrent)).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.Accuracy > 0.9, $"{kind}: test accuracy {metrics.Accuracy:P1} (chance 50 %)");
    }

    [Fact]
    public void A_padded_row_scores_exactly_like_the_unpadded_one_and_reloads_identically_in_a_new_process()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(300, 1));
        var options = Options(Layer.Gru(5), epochs: 1);
        options.Layers = [Layer.Embedding(Vocabulary, 8, maskZero: true), Layer.Bidirectional(Layer.Lstm(6, returnSequences: true)), Layer.Dropout(0.2), Layer.Gru(5)];
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train);
        Assert.Contains("(12, 12)", model.Model.Summary()); // the bidirectional LSTM's sequences: 2 × 6 units, 12 steps

        // The network on each row's real ids alone (as short sequences) equals the network on the padded row.
        var rows = Rows(20, 5);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        var network = model.Model.TorchModule;
        network.eval();
        for (int i = 0; i < rows.Length; i++)
        {
            int length = rows[i].Tokens.TakeWhile(t => t != 0).Count();
            using var _ = no_grad();
            using var ids = tensor(rows[i].Tokens.Take(length).Select(t => (float)t).ToArray(), [1, length]);
            using var y = network.forward(ids);
            Assert.Equal(scored[i], y.item<float>(), 5);
        }

        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        Assert.Equal(scored[7], engine.Predict(rows[7]).Score, 6);

        var sample = ml.Data.LoadFromEnumerable(rows);
        var there = ModelRoundTrip.TransformInNewProcess(ml, model, sample, Path.Combine(Path.GetTempPath(), $"mlx-rnn-{Guid.NewGuid():N}")).GetColumn<float>("Score").ToArray();
        Assert.Equal(scored, there);
    }

    [Fact]
    public void Training_with_dropout_masks_and_threaded_kernels_is_deterministic_with_a_seed()
    {
        // GRU and LSTM kernels with recurrent and input dropout (masks from the run's generator, rows split into parts fixed by
        // the batch, gradients summed in part order): runs with one seed score bit for bit alike, on 1 or 2 threads.
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(600, 1));
        var test = ml.Data.LoadFromEnumerable(Rows(50, 2));
        float[] Scores(int seed, int? threads = null)
        {
            var options = Options(Layer.Lstm(8, dropout: 0.2, recurrentDropout: 0.3), epochs: 2);
            options.Layers = [Layer.Embedding(Vocabulary, 8, maskZero: true), Layer.Gru(8, returnSequences: true, dropout: 0.1, recurrentDropout: 0.2), Layer.Lstm(8, recurrentDropout: 0.3)];
            options.Seed = seed;
            options.Threads = threads;
            return ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train).Transform(test).GetColumn<float>("Score").ToArray();
        }
        var first = Scores(3);
        Assert.Equal(first, Scores(3));
        Assert.Equal(first, Scores(3, threads: 1)); // the kernels' row parts do not depend on the thread count
        Assert.NotEqual(first, Scores(4));
    }

    [Fact]
    public void Ids_outside_the_embedding_are_refused_with_the_layer_the_id_and_the_fix()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(64, 1));
        var options = Options(Layer.Lstm(4), epochs: 1, first: Layer.Embedding(10, 4));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train));
        Assert.Contains("Layer 0 (Embedding)", error.Message);
        Assert.Contains("from 0 to 9", error.Message);
        Assert.Contains("inputDimension", error.Message);
    }

    [Fact]
    public void Recurrent_layers_without_sequences_say_how_to_get_them()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new FlatRow { Features = new float[6], Label = i % 2 == 0 }).ToArray());
        var error = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = [Layer.Lstm(4)], Epochs = 1 }).Fit(data));
        Assert.Contains("Layer 0 (LSTM) receives examples of shape (6)", error.Message);
        Assert.Contains("InputShape", error.Message);
    }

    public sealed class VariableRow
    {
        [KeyType(Vocabulary - 1)]
        public uint[] Tokens { get; set; } = [];

        public bool Label { get; set; }
    }

    internal static VariableRow[] Variable(IEnumerable<Row> rows) =>
        rows.Select(r => new VariableRow { Tokens = r.Tokens.TakeWhile(t => t != 0).ToArray(), Label = r.Label }).ToArray();

    [Fact]
    public void Variable_length_ids_are_padded_and_masked_and_longer_rows_score_on_their_own()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Variable(Rows(1500, 1)));
        Assert.Equal(0, ((VectorDataViewType)train.Schema["Tokens"].Type).Size); // variable length
        // No maskZero: variable-length input masks its padding anyway.
        var options = Options(Layer.Gru(16), first: Layer.Embedding(Vocabulary, 8));
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train);
        Assert.True(model.Model.VariableLength);
        Assert.Equal(Length, model.Model.FeatureSize); // the longest training row
        var test = Variable(Rows(400, 2));
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test))).Accuracy > 0.9);

        // Rows longer than any training row (here 30 ids) score alone at their length, like the network on their ids.
        var random = new Random(4);
        var rows = test.Take(10).Concat(Enumerable.Range(0, 3).Select(_ => new VariableRow { Tokens = Enumerable.Range(0, 30).Select(_ => (uint)random.Next(2, Vocabulary)).ToArray() })).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var scored = model.Transform(data).GetColumn<float>("Score").ToArray();
        var network = model.Model.TorchModule;
        network.eval();
        for (int i = 0; i < rows.Length; i++)
        {
            using var _ = no_grad();
            using var ids = tensor(rows[i].Tokens.Select(t => (float)t).ToArray(), [1, rows[i].Tokens.Length]);
            using var y = network.forward(ids);
            Assert.Equal(y.item<float>(), scored[i], 5);
        }
        var there = ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), $"mlx-rnn-var-{Guid.NewGuid():N}")).GetColumn<float>("Score").ToArray();
        Assert.Equal(scored, there);

        var flatten = Options(Layer.Flatten(), first: Layer.Embedding(Vocabulary, 8));
        var error = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(flatten).Fit(train));
        Assert.Contains("Layer 1 (Flatten)", error.Message);
        Assert.Contains("varying lengths", error.Message);
        var dense = new NeuralNetworkOptions { FeatureColumnName = "Tokens", Layers = [Layer.Dense(4)], Epochs = 1 };
        Assert.Contains("the first layer must be Layer.Embedding", Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(dense).Fit(train)).Message);
        var empty = ml.Data.LoadFromEnumerable(new[] { new VariableRow { Tokens = [], Label = true }, new VariableRow { Tokens = [], Label = false } });
        Assert.Contains("every sequence is empty", Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(empty)).Message);
    }

    public sealed class FlatRow
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }
}
