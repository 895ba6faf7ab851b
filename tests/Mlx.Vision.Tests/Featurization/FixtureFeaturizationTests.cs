using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Vision.Tests.Featurization;

/// <summary>
/// FeaturizeImage on the PyTorch-exported fixtures (shared/golden/onnx): the batched output must equal
/// the expected output PyTorch recorded in the .npz for the same input.
/// </summary>
public class FixtureFeaturizationTests
{
    // float32 networks of a few layers: PyTorch and ONNX Runtime differ by summation order only.
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("vgg_tiny_opset13.onnx", "vgg_tiny.npz", 3)]
    [InlineData("vgg_tiny_opset13.onnx", "vgg_tiny.npz", 32)]
    [InlineData("resnet_tiny_opset17.onnx", "resnet_tiny.npz", 1)]
    [InlineData("resnet_tiny_opset17.onnx", "resnet_tiny.npz", 2)]
    public void Batched_features_equal_the_PyTorch_outputs(string onnx, string npz, int batchSize)
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture(npz), "input");
        var expected = Npz.Read(VisionData.Fixture(npz), "output");
        var backbone = OnnxBackbone.FromFile(VisionData.Fixture(onnx), preprocessing: ImagePreprocessing.None);
        Assert.Equal(10, backbone.FeatureSize);

        var data = VisionData.PixelRows(ml, input);
        var output = ml.Transforms.FeaturizeImage("Features", "Pixels", backbone, batchSize).Fit(data).Transform(data);

        var rows = Columns(output);
        Assert.Equal(Enumerable.Range(0, 4), rows.Ids);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 10; j++)
                Assert.True(Math.Abs(expected.Values[i * 10 + j] - rows.Features[i][j]) <= Tolerance, $"row {i} slot {j}: {rows.Features[i][j]} vs {expected.Values[i * 10 + j]}");
        }
    }

    [Fact]
    public void An_intermediate_tensor_can_be_read_below_the_classifier()
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("vgg_tiny.npz"), "input");
        var data = VisionData.PixelRows(ml, input);
        var pooled = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), outputName: "/features/features.9/MaxPool_output_0", preprocessing: ImagePreprocessing.None);
        var flattened = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), outputName: "/classifier/classifier.0/Flatten_output_0", preprocessing: ImagePreprocessing.None);

        Assert.Equal(new long[] { 16, 8, 8 }, pooled.FeatureShape);
        Assert.Equal(1024, pooled.FeatureSize);
        var a = Columns(ml.Transforms.FeaturizeImage("Features", "Pixels", pooled, 3).Fit(data).Transform(data)).Features;
        var b = Columns(ml.Transforms.FeaturizeImage("Features", "Pixels", flattened, 4).Fit(data).Transform(data)).Features;
        // Flatten of the pooled tensor: the same numbers in the same (C, H, W) order; post-ReLU pooling is non-negative and not all zero.
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(a[i], b[i]);
            Assert.All(a[i], v => Assert.True(v >= 0));
            Assert.Contains(a[i], v => v > 0);
        }
    }

    [Fact]
    public void Normalisation_is_applied_per_channel_in_the_model_channel_order()
    {
        // (pixel * scale - mean[c]) / std[c] with BGR order must equal feeding the normalised BGR planes with no preprocessing.
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("vgg_tiny.npz"), "input");
        var preprocessing = new ImagePreprocessing { ChannelOrder = ChannelOrder.Bgr, Scale = 0.5f, Mean = new[] { 0.1f, -0.2f, 0.3f }, Std = new[] { 2f, 0.5f, 1.5f } };
        var normalised = (double[])input.Values.Clone();
        int plane = 32 * 32;
        for (int n = 0; n < 4; n++)
        {
            for (int c = 0; c < 3; c++)
            {
                int sourcePlane = 2 - c; // model plane c (B, G, R) comes from RGB plane 2 - c
                for (int p = 0; p < plane; p++)
                {
                    double x = input.Values[(n * 3 + sourcePlane) * plane + p];
                    normalised[(n * 3 + c) * plane + p] = (x * 0.5 - preprocessing.Mean[c]) / preprocessing.Std[c];
                }
            }
        }
        var raw = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None);
        var withPreprocessing = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: preprocessing);
        var expected = Columns(ml.Transforms.FeaturizeImage("Features", "Pixels", raw).Fit(VisionData.PixelRows(ml, input with { Values = normalised })).Transform(VisionData.PixelRows(ml, input with { Values = normalised }))).Features;
        var data = VisionData.PixelRows(ml, input);
        var actual = Columns(ml.Transforms.FeaturizeImage("Features", "Pixels", withPreprocessing).Fit(data).Transform(data)).Features;
        for (int i = 0; i < 4; i++)
            Tolerance_close(expected[i], actual[i], 1e-5);
    }

    [Fact]
    public void Saved_model_holds_the_ONNX_bytes_and_reproduces_features_in_a_new_process()
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("resnet_tiny.npz"), "input");
        var data = VisionData.PixelRows(ml, input);
        var copy = Path.Combine(Path.GetTempPath(), $"mlx-backbone-{Guid.NewGuid():N}.onnx");
        File.Copy(VisionData.Fixture("resnet_tiny_opset17.onnx"), copy);
        var model = ml.Transforms.FeaturizeImage("Features", "Pixels", OnnxBackbone.FromFile(copy, preprocessing: ImagePreprocessing.None), 3).Fit(data);
        File.Delete(copy); // the saved model must not need the file
        var here = Columns(model.Transform(data));
        var there = Columns(ModelRoundTrip.TransformInNewProcess(ml, model, data, Path.Combine(Path.GetTempPath(), $"mlx-featurize-{Guid.NewGuid():N}")));
        Assert.Equal(here.Ids, there.Ids);
        for (int i = 0; i < here.Features.Count; i++)
            Assert.Equal(here.Features[i], there.Features[i]);
    }

    [Fact]
    public void PredictionEngine_gives_the_batched_features_row_by_row()
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("vgg_tiny.npz"), "input");
        var data = VisionData.PixelRows(ml, input);
        var model = ml.Transforms.FeaturizeImage("Features", "Pixels", OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None), 4).Fit(data);
        var batched = Columns(model.Transform(data)).Features;
        var engine = ml.Model.CreatePredictionEngine<VisionData.PixelRow, FeatureRow>(model, inputSchemaDefinition: PixelDefinition(3 * 32 * 32));
        var rows = input.Singles;
        for (int i = 0; i < 4; i++)
        {
            var prediction = engine.Predict(new VisionData.PixelRow { Id = i, Pixels = rows.AsSpan(i * 3072, 3072).ToArray() });
            Assert.Equal(batched[i], prediction.Features);
        }
    }

    [Fact]
    public void The_output_schema_is_a_known_size_vector_and_other_columns_pass_through()
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("vgg_tiny.npz"), "input");
        var data = VisionData.PixelRows(ml, input);
        var estimator = ml.Transforms.FeaturizeImage("Features", "Pixels", OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None), 3);
        var shape = estimator.GetOutputSchema(SchemaShape.Create(data.Schema));
        Assert.True(shape.TryFindColumn("Features", out var column));
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, column.Kind);
        var transformed = estimator.Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 10), transformed.Schema["Features"].Type);
        // The pixel column passes through, row-aligned with its features, across the 3 + 1 batches.
        var pixels = transformed.GetColumn<float[]>("Pixels").ToList();
        for (int i = 0; i < 4; i++)
            Assert.Equal(input.Singles.AsSpan(i * 3072, 3072).ToArray(), pixels[i]);
        Assert.Equal(4, transformed.GetColumn<int>("Id").Count());
    }

    internal static (List<int> Ids, List<float[]> Features) Columns(IDataView view) =>
        (view.GetColumn<int>("Id").ToList(), view.GetColumn<float[]>("Features").ToList());

    private static void Tolerance_close(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance, $"slot {j}: {actual[j]} vs {expected[j]}");
    }

    private static SchemaDefinition PixelDefinition(int length)
    {
        var definition = SchemaDefinition.Create(typeof(VisionData.PixelRow));
        definition[nameof(VisionData.PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return definition;
    }

    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
