using System.Text.Json;
using Mlx.TestSupport;
using Mlx.Vision.Onnx;
using Xunit;

namespace Mlx.Vision.Tests.Onnx;

/// <summary>ONNX inspection on the PyTorch-exported fixtures (tests/golden/onnx, from shared/golden/onnx).</summary>
public class OnnxModelInfoTests
{
    private static string Fixture(string file) => RepoPaths.Combine("tests", "golden", "onnx", file);

    [Theory]
    [InlineData("vgg_tiny_opset13.onnx", "vgg_tiny.json")]
    [InlineData("resnet_tiny_opset17.onnx", "resnet_tiny.json")]
    public void Reads_inputs_and_outputs_as_the_exporter_declared_them(string onnx, string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture(json)));
        var input = doc.RootElement.GetProperty("input");
        var output = doc.RootElement.GetProperty("output");
        var info = OnnxModelInfo.Load(Fixture(onnx));

        var i = Assert.Single(info.Inputs);
        Assert.Equal(input.GetProperty("name").GetString(), i.Name);
        Assert.Equal(typeof(float), i.ElementType);
        // The exporter marked axis 0 dynamic ("N"); the other axes keep the exported sizes.
        Assert.True(i.HasDynamicBatch);
        Assert.Equal("N", i.SymbolicDimensions[0]);
        Assert.Equal(GoldenJson.Vector(input.GetProperty("shape")).Skip(1).Select(d => (int)d), i.Dimensions.Skip(1));
        Assert.Equal("[N,3,32,32]", i.ShapeText);

        var o = Assert.Single(info.Outputs);
        Assert.Equal(output.GetProperty("name").GetString(), o.Name);
        Assert.Equal((int)GoldenJson.Vector(output.GetProperty("shape"))[1], o.Dimensions[1]);
        Assert.Same(o, info.Output("output"));
    }

    [Fact]
    public void Missing_output_lists_the_available_ones()
    {
        var info = OnnxModelInfo.Load(Fixture("vgg_tiny_opset13.onnx"));
        var e = Assert.Throws<ArgumentException>(() => info.Output("features"));
        Assert.Contains("no output named 'features'", e.Message);
        Assert.Contains("output: Single[N,10]", e.Message);
    }

    [Fact]
    public void Corrupt_file_gets_a_clear_error()
    {
        var bytes = File.ReadAllBytes(Fixture("vgg_tiny_opset13.onnx"));
        var truncated = bytes[..(bytes.Length / 3)];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.FromBytes(truncated, "vgg_tiny (truncated)"));
        Assert.Contains("'vgg_tiny (truncated)'", e.Message);
        Assert.Contains("not a loadable ONNX model", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Missing_file_names_the_full_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OnnxModelInfo.Load("no-such-model.onnx"));
        Assert.Contains(Path.GetFullPath("no-such-model.onnx"), e.Message);
    }
}
