using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Mlx.Estimators.Tests.Trainers;
using Xunit;

namespace Mlx.Estimators.Tests.Export;

/// <summary>
/// <see cref="NeuralNetworkModel.ExportOnnx"/>: the exported file scored by ONNX Runtime, and by ML.NET's
/// ApplyOnnxModel, gives the ML.NET model's own Score (and Probability) columns, to 1e-5 of the largest value, for
/// every task and every exportable layer (Keras "same" padding with even kernels, i.e. uneven pads, included).
/// </summary>
public class OnnxExportTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Dense_multiclass_network_with_every_activation_batch_norm_and_dropout()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        var layers = new Layer[]
        {
            Layer.Dense(16, Activation.Relu), Layer.BatchNormalization(), Layer.Dropout(0.2), Layer.Dense(12, Activation.Tanh),
            Layer.Dense(12, Activation.Elu), Layer.Dense(12, Activation.Gelu), Layer.Dense(10, Activation.Selu), Layer.Dense(10, Activation.Softplus),
            Layer.Dense(8, Activation.Sigmoid),
        };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = layers, Epochs = 5, Seed = 1 }).Fit(data);
        AssertExportScoresLikeTheModel(ml, model, data, "Score");
    }

    [Fact]
    public void Binary_network_exports_the_logit_and_the_probability()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.BreastCancer(ml);
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = [Layer.Dense(8, Activation.Relu)], Epochs = 3, Seed = 1 }).Fit(data);
        AssertExportScoresLikeTheModel(ml, model, data, "Score", "Probability");
    }

    [Fact]
    public void Regression_network()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Diabetes(ml);
        var model = ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = [Layer.Dense(8, Activation.Relu)], Epochs = 3, Seed = 1 }).Fit(data);
        AssertExportScoresLikeTheModel(ml, model, data, "Score");
    }

    [Fact]
    public void Convnet_with_same_padding_pooling_batch_norm_and_separable_convolution()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(DigitsData.Load(ml), 400);
        var layers = new Layer[]
        {
            Layer.Conv2D(6, 2, Activation.Relu, padding: Padding.Same), Layer.BatchNormalization(), Layer.MaxPool2D(3, 2, Padding.Same),
            Layer.SeparableConv2D(8, 3, Activation.Relu, padding: Padding.Same), Layer.SpatialDropout2D(0.1), Layer.AveragePool2D(2, 1, Padding.Same),
            Layer.Conv2D(8, 3, 2, Activation.Elu, stride: 2), Layer.Flatten(), Layer.Dropout(0.3), Layer.Dense(16, Activation.Relu),
        };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = layers, InputShape = [1, 8, 8], Epochs = 3, Seed = 1 }).Fit(data);
        AssertExportScoresLikeTheModel(ml, model, data, "Score");
    }

    [Fact]
    public void One_dimensional_convnet_with_global_pooling()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(DigitsData.Load(ml), 400);
        var layers = new Layer[]
        {
            Layer.Conv1D(6, 4, Activation.Relu, padding: Padding.Same), Layer.MaxPool1D(2), Layer.Conv1D(8, 3, Activation.Relu),
            Layer.AveragePool1D(3, 1, Padding.Same), Layer.GlobalMaxPool1D(),
        };
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = layers, InputShape = [1, 64], Epochs = 3, Seed = 1 }).Fit(data);
        AssertExportScoresLikeTheModel(ml, model, data, "Score");
        var global2D = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            Layers = [Layer.Conv2D(4, 3, Activation.Relu), Layer.GlobalAveragePool2D()], InputShape = [1, 8, 8], Epochs = 2, Seed = 1,
        }).Fit(data);
        AssertExportScoresLikeTheModel(ml, global2D, data, "Score");
    }

    [Fact]
    public void Recurrent_networks_export_as_ONNX_RNN_LSTM_and_GRU_operators_with_sequence_lengths_from_the_padding()
    {
        var ml = new MLContext(seed: 1);
        // Token ids held as Single (0 = padding at the end of each row), as an Embedding-first network also accepts.
        var rows = Trainers.SequenceTrainerTests.Rows(300, 4).Select(r => new IdRow { Features = r.Tokens.Select(t => (float)t).ToArray(), Label = r.Label }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        foreach (var layers in new Layer[][]
        {
            [Layer.Embedding(20, 6, maskZero: true), Layer.Bidirectional(Layer.Lstm(5, returnSequences: true)), Layer.Dropout(0.2), Layer.Gru(4)],
            [Layer.Embedding(20, 6, maskZero: true), Layer.Bidirectional(Layer.Gru(5), BidirectionalMerge.Sum)],
            [Layer.Embedding(20, 6), Layer.SimpleRnn(5, returnSequences: true), Layer.Bidirectional(Layer.SimpleRnn(3, returnSequences: true), BidirectionalMerge.Average), Layer.GlobalMaxPool1D()],
            [Layer.Embedding(20, 6, maskZero: true), Layer.Lstm(4, returnSequences: true), Layer.Conv1D(3, 3), Layer.Bidirectional(Layer.Gru(3), BidirectionalMerge.Multiply)],
        })
        {
            var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = layers, Epochs = 2, Seed = 1 }).Fit(data);
            AssertExportScoresLikeTheModel(ml, model, data, "Score", "Probability");
        }
    }

    [Fact]
    public void A_variable_length_network_exports_with_sequence_lengths_from_the_padding()
    {
        var ml = new MLContext(seed: 1);
        var sequences = Trainers.SequenceTrainerTests.Variable(Trainers.SequenceTrainerTests.Rows(600, 1));
        // No maskZero: the variable-length input masks its padding, and so must the exported graph.
        var model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            FeatureColumnName = "Tokens", Layers = [Layer.Embedding(Trainers.SequenceTrainerTests.Vocabulary, 6), Layer.Lstm(5)], Epochs = 2, Seed = 1,
        }).Fit(ml.Data.LoadFromEnumerable(sequences));
        Assert.True(model.Model.VariableLength);
        var test = Trainers.SequenceTrainerTests.Variable(Trainers.SequenceTrainerTests.Rows(40, 2)).Where(r => r.Tokens.Length <= model.Model.FeatureSize).ToArray();
        var expected = model.Transform(ml.Data.LoadFromEnumerable(test)).GetColumn<float>("Score").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"mlx-export-{Guid.NewGuid():N}.onnx");
        try
        {
            model.Model.ExportOnnx(path);
            int size = model.Model.FeatureSize;
            // Rows padded with zeros at the end to the graph's input length, as ML.NET pads a batch.
            var padded = test.SelectMany(r => r.Tokens.Select(t => (float)t).Concat(Enumerable.Repeat(0f, size - r.Tokens.Length))).ToArray();
            using var session = new InferenceSession(path);
            using var input = OrtValue.CreateTensorValueFromMemory(padded, new long[] { test.Length, size });
            using var results = session.Run(new RunOptions(), ["Features"], [input], ["Score"]);
            Assert.Contains(test, r => r.Tokens.Length < size); // some rows are padded
            AssertClose(expected, results[0].GetTensorDataAsSpan<float>().ToArray(), "ONNX Runtime Score of padded rows");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class IdRow
    {
        [VectorType(12)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private static void AssertExportScoresLikeTheModel(MLContext ml, NeuralNetworkModel model, IDataView data, params string[] columns)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlx-export-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            var scored = model.Transform(data);
            var features = data.GetColumn<float[]>(model.FeatureColumnName).ToArray();
            int rows = features.Length, size = model.FeatureSize;

            // ONNX Runtime on the same features, one batch.
            using var session = new InferenceSession(path);
            using var input = OrtValue.CreateTensorValueFromMemory(features.SelectMany(f => f).ToArray(), new long[] { rows, size });
            using var results = session.Run(new RunOptions(), ["Features"], [input], columns);
            // ML.NET's ApplyOnnxModel (its own ONNX Runtime), row by row through a cursor.
            var renamed = ml.Transforms.CopyColumns("Features", model.FeatureColumnName).Fit(data).Transform(data);
            var applied = ml.Transforms.ApplyOnnxModel(columns, ["Features"], path)
                .Fit(renamed).Transform(renamed);
            for (int c = 0; c < columns.Length; c++)
            {
                var expected = Values(scored, columns[c]);
                var runtime = results[c].GetTensorDataAsSpan<float>().ToArray();
                AssertClose(expected, runtime, $"ONNX Runtime {columns[c]}");
                AssertClose(expected, Values(applied, columns[c]), $"ApplyOnnxModel {columns[c]}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] Values(IDataView data, string column) =>
        data.Schema[column].Type is VectorDataViewType
            ? data.GetColumn<float[]>(column).SelectMany(v => v).ToArray()
            : data.GetColumn<float>(column).ToArray();

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-6, expected.Max(v => Math.Abs(v)));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance * scale, $"{what}: largest difference {worst:G3} against largest value {scale:G3}");
        Assert.Contains(expected, v => v != expected[0]);
    }
}
