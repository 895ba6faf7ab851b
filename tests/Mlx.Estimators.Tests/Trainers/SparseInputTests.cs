using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using Mlx.TestSupport;
using TorchSharp;
using Xunit;

namespace Mlx.Estimators.Tests.Trainers;

/// <summary>
/// Sparse rows (SparseInput): the first Dense layer on the non-zeros only must be the dense layer's arithmetic
/// (forward values and gradients against libtorch's Linear) and train the same network as dense input.
/// </summary>
public class SparseInputTests
{
    [Fact]
    public void Sparse_dense_function_equals_libtorch_linear_forward_and_gradients()
    {
        Mlx.Estimators.Runtime.TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        // 20 units: a SIMD block of two vectors (16 floats where Vector<float> has 8 lanes) and a scalar tail.
        const int features = 50, units = 20, rows = 7;
        var random = new Random(5);
        var dense = new float[rows * features];
        var sparse = new SparseRows(features, rows, perRow: 4);
        for (int r = 0; r < rows; r++)
        {
            var slots = Enumerable.Range(0, features).Where(_ => random.NextDouble() < 0.15).ToArray();
            var values = slots.Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            sparse.Add(slots, values);
            for (int k = 0; k < slots.Length; k++)
                dense[r * features + slots[k]] = values[k];
        }
        var layer = torch.nn.Linear(features, units);
        using var workspace = new SparseDenseWorkspace(layer);
        var reference = torch.nn.Linear(features, units);
        using (torch.no_grad())
        {
            reference.weight!.copy_(layer.weight!);
            reference.bias!.copy_(layer.bias!);
        }
        var upstream = torch.randn(rows, units, generator: new torch.Generator(3));
        // Batch order differs from storage order, and row 2 appears twice (its gradient counts twice).
        var order = new long[] { 4, 2, 0, 6, 2, 5 };
        var batch = SparseBatch.Gather(sparse, order, 0);
        var x = torch.tensor(dense, rows, features).index_select(0, torch.tensor(order));
        var g = upstream.narrow(0, 0, order.Length);

        var y = SparseDenseFunction.Apply(layer, batch, workspace);
        var expected = reference.forward(x);
        AssertClose(expected, y, 1e-5);
        (y * g).sum().backward();
        (expected * g).sum().backward();
        AssertClose(reference.weight!.grad!, layer.weight!.grad!, 1e-5);
        AssertClose(reference.bias!.grad!, layer.bias!.grad!, 1e-5);

        // A second backward accumulates into the existing gradient, as autograd does.
        (SparseDenseFunction.Apply(layer, batch, workspace) * g).sum().backward();
        (reference.forward(x) * g).sum().backward();
        AssertClose(reference.weight!.grad!, layer.weight!.grad!, 1e-5);
    }

    [Fact]
    public void Sparse_input_trains_the_same_network_as_dense_input()
    {
        var ml = new MLContext(seed: 1);
        var data = Sentences(ml);
        NeuralNetworkModel Train(SparseInput mode) => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            Layers = new Layer[] { Layer.Dense(16, Activation.Relu, regularizer: Regularizer.L2Penalty(0.001)), Layer.Dropout(0.2), Layer.Dense(8, Activation.Relu) },
            Epochs = 4,
            BatchSize = 32,
            ValidationFraction = 0.2,
            ClassWeights = new Dictionary<int, double> { [0] = 1.5, [1] = 1.0 },
            Seed = 3,
            Threads = 1,
            SparseInput = mode,
        }).Fit(data);
        var denseModel = Train(SparseInput.Dense);
        var sparseModel = Train(SparseInput.Sparse);
        // Same steps; only the order of float additions in the first layer differs.
        foreach (var (d, s) in denseModel.History.Epochs.Zip(sparseModel.History.Epochs))
        {
            Assert.Equal(d.Loss, s.Loss, 1e-4 * d.Loss);
            Assert.Equal(d.ValidationLoss!.Value, s.ValidationLoss!.Value, 1e-4 * d.ValidationLoss.Value);
            Assert.Equal(d.ValidationMetric!.Value, s.ValidationMetric!.Value, 1e-9);
        }
        var denseScores = denseModel.Transform(data).GetColumn<float>("Score").ToArray();
        var sparseScores = sparseModel.Transform(data).GetColumn<float>("Score").ToArray();
        Assert.All(denseScores.Zip(sparseScores), p => Assert.Equal(p.First, p.Second, 1e-3));
        // And it learned: well above chance on its own training sentences.
        Assert.True(ml.BinaryClassification.Evaluate(sparseModel.Transform(data)).Accuracy > 0.8);
    }

    [Fact]
    public void Auto_holds_bags_of_words_sparse_and_dense_features_dense()
    {
        var ml = new MLContext(seed: 1);
        var words = Sentences(ml);
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(8, Activation.Relu) } };
        Assert.True(TrainingData.ChooseSparse(words, options, out double density));
        Assert.InRange(density, 1e-4, 0.05);
        Assert.False(TrainingData.ChooseSparse(Datasets.BreastCancer(ml), options, out double full));
        Assert.Equal(1.0, full, 1e-9);
        // A first layer that is not Dense takes dense rows (Auto) or is refused (Sparse).
        options.Layers = new Layer[] { Layer.Dropout(0.1), Layer.Dense(8, Activation.Relu) };
        Assert.False(TrainingData.ChooseSparse(words, options, out _));
        options.SparseInput = SparseInput.Sparse;
        var e = Assert.Throws<ArgumentException>(() => TrainingData.ChooseSparse(words, options, out _));
        Assert.Contains("first layer", e.Message);
        options.SparseInput = SparseInput.Dense;
        options.Layers = new Layer[] { Layer.Dense(8, Activation.Relu) };
        Assert.False(TrainingData.ChooseSparse(words, options, out _));
    }

    [Fact]
    public void Sparse_vectors_and_dense_arrays_of_the_same_rows_train_identically()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(8);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            var slots = Enumerable.Range(0, 200).Where(_ => random.NextDouble() < 0.03).ToArray();
            var values = slots.Select(_ => 1f + random.NextSingle()).ToArray();
            return (slots, values, label: slots.Any(s => s < 20));
        }).ToList();
        var asVectors = ml.Data.LoadFromEnumerable(rows.Select(r => new SparseRow { Features = new VBuffer<float>(200, r.slots.Length, r.values, r.slots), Label = r.label }));
        var asArrays = ml.Data.LoadFromEnumerable(rows.Select(r =>
        {
            var x = new float[200];
            for (int k = 0; k < r.slots.Length; k++)
                x[r.slots[k]] = r.values[k];
            return new DenseRow { Features = x, Label = r.label };
        }));
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(8, Activation.Relu) }, Epochs = 3, BatchSize = 16, Seed = 2, Threads = 1 };
        var fromVectors = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(asVectors);
        var fromArrays = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(asArrays);
        Assert.Equal(fromArrays.History.Epochs.Select(e => e.Loss), fromVectors.History.Epochs.Select(e => e.Loss));

        // Scoring: sparse rows go through the first layer's non-zeros, dense rows through the dense product; same scores.
        var sparseScores = fromVectors.Transform(asVectors).GetColumn<float>("Score").ToArray();
        var denseScores = fromVectors.Transform(asArrays).GetColumn<float>("Score").ToArray();
        Assert.All(sparseScores.Zip(denseScores), p => Assert.Equal(p.Second, p.First, 1e-5));
        // And one row at a time (PredictionEngine: a batch of one, kept sparse).
        var engine = ml.Model.CreatePredictionEngine<SparseRow, Prediction>(fromVectors);
        var first = engine.Predict(new SparseRow { Features = new VBuffer<float>(200, rows[0].slots.Length, rows[0].values, rows[0].slots) });
        Assert.Equal(denseScores[0], first.Score, 1e-5);
        // A new process loads the model and scores the sparse rows bit for bit alike.
        var there = ModelRoundTrip.TransformInNewProcess(ml, fromVectors, asVectors, Path.Combine(Path.GetTempPath(), $"mlx-sparse-{Guid.NewGuid():N}"));
        Assert.Equal(sparseScores, there.GetColumn<float>("Score").ToArray());
    }

    [Fact]
    public void A_NaN_in_a_sparse_vector_is_reported_with_its_slot_and_row()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 40).Select(i => new SparseRow
        {
            Features = new VBuffer<float>(200, 2, new[] { 1f, i == 17 ? float.NaN : 2f }, new[] { 3, 121 }),
            Label = i % 2 == 0,
        });
        AssertRefusedNamingSlot121OfRow17(ml, ml.Data.LoadFromEnumerable(rows), "ReplaceMissingValues");
    }

    /// <summary>Training sparse on <paramref name="data"/> fails before any step, naming the column, slot 121, row 17 and the fix.</summary>
    private static void AssertRefusedNamingSlot121OfRow17(MLContext ml, IDataView data, string fix)
    {
        var options = new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(4, Activation.Relu) }, SparseInput = SparseInput.Sparse };
        var e = Assert.ThrowsAny<Exception>(() => ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data));
        Assert.Contains("Features", e.Message);
        Assert.Contains("121", e.Message);
        Assert.Contains("17", e.Message);
        Assert.Contains(fix, e.Message);
    }

    /// <summary>
    /// Dense rows kept as their non-zeros equal a plain filter: lengths around the 32-value blocks, +0 and -0 dropped,
    /// NaN, ±∞ and tiny values kept at their slots (NaN is non-zero, so it reaches the finiteness check).
    /// </summary>
    [Fact]
    public void Dense_rows_keep_exactly_their_non_zeros()
    {
        var random = new Random(9);
        var sparse = new SparseRows(200, 10, perRow: 8);
        var expected = new List<(int Slot, float Value)[]>();
        foreach (int length in new[] { 200, 200, 200, 200, 200, 200, 200, 200 })
        {
            var row = new float[length];
            for (int j = 0; j < length; j++)
            {
                row[j] = random.Next(10) switch
                {
                    0 => -0f, 1 => float.NaN, 2 => random.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                    3 => float.Epsilon, 4 or 5 => random.NextSingle() - 0.5f, _ => 0f,
                };
            }
            if (expected.Count == 1)
                Array.Clear(row); // an all-zero row
            if (expected.Count == 2)
                row[31] = row[32] = row[199] = 1; // block edges and the scalar tail
            sparse.AddDense(row);
            expected.Add(row.Select((v, j) => (j, v)).Where(p => p.v != 0).ToArray());
        }
        Assert.Equal(expected.Count, sparse.Rows);
        for (int r = 0; r < expected.Count; r++)
        {
            var (start, length) = sparse.Row(r);
            Assert.Equal(expected[r].Select(p => p.Slot), sparse.Indices.Slice(start, length).ToArray());
            Assert.Equal(expected[r].Select(p => BitConverter.SingleToInt32Bits(p.Value)), sparse.Values.Slice(start, length).ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    /// <summary>
    /// Sparse rows on pooled storage: rows added past the first guess of the size (the arrays grow) keep their values,
    /// and rows made after another set was disposed (its arrays reused, full of its values) hold only their own.
    /// </summary>
    [Fact]
    public void Pooled_storage_holds_only_its_own_rows_through_growth_and_reuse()
    {
        var random = new Random(4);
        (int[] Slots, float[] Values)[] MakeRows(int count, float scale) => Enumerable.Range(0, count).Select(_ =>
        {
            var slots = Enumerable.Range(0, 1000).Where(_ => random.Next(20) == 0).ToArray();
            return (slots, slots.Select(_ => scale * (1 + random.NextSingle())).ToArray());
        }).ToArray();
        void Check(SparseRows sparse, (int[] Slots, float[] Values)[] rows)
        {
            Assert.Equal(rows.Length, sparse.Rows);
            Assert.Equal(rows.Sum(r => r.Slots.Length), sparse.NonZeros);
            for (int r = 0; r < rows.Length; r++)
            {
                var (start, length) = sparse.Row(r);
                Assert.Equal(rows[r].Slots, sparse.Indices.Slice(start, length).ToArray());
                Assert.Equal(rows[r].Values, sparse.Values.Slice(start, length).ToArray());
            }
        }
        var first = MakeRows(3000, 1);
        var a = new SparseRows(1000, 10, perRow: 1); // room for 10 values: grows many times
        foreach (var (slots, values) in first)
            a.Add(slots, values);
        Check(a, first);
        a.Dispose();
        var second = MakeRows(100, -1);
        using var b = new SparseRows(1000, 3000, perRow: 60); // likely a's arrays again
        foreach (var (slots, values) in second)
            b.Add(slots, values);
        Check(b, second);
    }

    [Theory]
    [InlineData(float.NaN, "ReplaceMissingValues")]
    [InlineData(float.PositiveInfinity, "infinite")]
    public void A_bad_value_in_a_dense_array_held_sparse_is_reported_with_its_slot_and_row(float bad, string fix)
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 40).Select(i =>
        {
            var x = new float[200];
            x[3] = 1;
            x[121] = i == 17 ? bad : 2;
            return new DenseRow { Features = x, Label = i % 2 == 0 };
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(DenseRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 200);
        AssertRefusedNamingSlot121OfRow17(ml, ml.Data.LoadFromEnumerable(rows, definition), fix);
    }

    /// <summary>1,000 IMDB review sentences as a bag of words (sparse vectors, as ML.NET's text featurizer makes them).</summary>
    private static IDataView Sentences(MLContext ml)
    {
        var text = ml.Data.LoadFromTextFile<Sentence>(RepoPaths.Combine("examples", "data", "sentiment_sentences", "imdb.csv"), separatorChar: ',', hasHeader: true, allowQuoting: true);
        var options = new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1 },
            CharFeatureExtractor = null,
            Norm = TextFeaturizingEstimator.NormFunction.None,
        };
        return ml.Transforms.Text.FeaturizeText("Features", options, nameof(Sentence.Text))
            .Append(ml.Transforms.Conversion.ConvertType("Label", nameof(Sentence.Positive), DataKind.Boolean))
            .Fit(text).Transform(text);
    }

    private static void AssertClose(torch.Tensor expected, torch.Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.detach().contiguous().data<float>().ToArray();
        var a = actual.detach().contiguous().data<float>().ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"[{i}]: {a[i]} vs {e[i]}");
    }

    private sealed class Sentence
    {
        [LoadColumn(0)]
        public string Text { get; set; } = "";

        [LoadColumn(1)]
        public float Positive { get; set; }
    }

    private sealed class SparseRow
    {
        [VectorType(200)]
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    private sealed class DenseRow
    {
        [VectorType(200)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }
}
