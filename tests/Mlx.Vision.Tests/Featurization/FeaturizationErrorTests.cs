using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Vision.Tests.Featurization;

/// <summary>Bad backbones and bad inputs give errors that name the problem and the fix.</summary>
public class FeaturizationErrorTests
{
    [Fact]
    public void Corrupt_file_is_reported_as_not_an_ONNX_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlx-corrupt-{Guid.NewGuid():N}.onnx");
        var bytes = File.ReadAllBytes(VisionData.Fixture("vgg_tiny_opset13.onnx"));
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 3).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => OnnxBackbone.FromFile(path));
        Assert.Contains("not a loadable ONNX model", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Missing_output_name_lists_outputs_and_intermediate_tensors()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), outputName: "pool5"));
        Assert.Contains("no tensor named 'pool5'", e.Message);
        Assert.Contains("output", e.Message);
        Assert.Contains("/features/features.9/MaxPool_output_0", e.Message);
    }

    [Fact]
    public void Unsupported_element_type_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxBackbone.FromFile(RepoPaths.Combine("tests", "assets", "onnx", "int64_input.onnx")));
        Assert.Contains("Int64", e.Message);
        Assert.Contains("float", e.Message);
    }

    [Fact]
    public void Wrong_pixel_vector_size_names_the_column_and_the_expected_size()
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("vgg_tiny.npz"), "input");
        var data = VisionData.PixelRows(ml, input);
        var backbone = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.FeaturizeImage("F", "Id", backbone).Fit(data));
        Assert.Contains("'Id'", e.Message);
        Assert.Contains("3072", e.Message);
    }

    [Fact]
    public void Images_of_the_wrong_size_ask_for_ResizeImages()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(2));
        var images = ml.Transforms.LoadImages("Image", null, "Path").Fit(photos).Transform(photos);
        var resized = ml.Transforms.ResizeImages("Image", 100, 100).Fit(images).Transform(images);
        var backbone = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None);

        // Known size in the schema: refused at fit time.
        var atFit = Assert.Throws<ArgumentException>(() => ml.Transforms.FeaturizeImage("F", "Image", backbone).Fit(resized));
        Assert.Contains("ResizeImages(\"Image\", 32, 32)", atFit.Message);
        // Unknown size (LoadImages only): refused on the first row.
        var model = ml.Transforms.FeaturizeImage("F", "Image", backbone).Fit(images);
        var atRow = Assert.Throws<InvalidOperationException>(() => model.Transform(images).GetColumn<float[]>("F").ToList());
        Assert.Contains("Column 'Image'", atRow.Message);
        Assert.Contains("32×32", atRow.Message);
        Assert.Contains("ResizeImages", atRow.Message);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var backbone = OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.FeaturizeImage("F", "Image", backbone, batchSize: 0));
        Assert.Throws<FileNotFoundException>(() => OnnxBackbone.FromFile("no/such/model.onnx"));
        var e = Assert.Throws<ArgumentException>(() => OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: new ImagePreprocessing { Std = new[] { 1f, 0f, 1f } }));
        Assert.Contains("positive", e.Message);
    }
}
