using Microsoft.ML;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Vision.Tests.Compatibility;

/// <summary>
/// ONNX bytes altered inside a saved FeaturizeImage model (which ONNX Runtime may still run, producing NaN) fail to load,
/// naming the component and the stream.
/// </summary>
public class DamagedModelTests
{
    [Fact]
    public void Altered_ONNX_bytes_fail_their_checksum()
    {
        var ml = new MLContext(seed: 1);
        var input = Npz.Read(VisionData.Fixture("vgg_tiny.npz"), "input");
        var data = VisionData.PixelRows(ml, input);
        var model = ml.Transforms.FeaturizeImage("Features", "Pixels", OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx"), preprocessing: ImagePreprocessing.None)).Fit(data);
        var zip = SavedModelBytes.Save(ml, model, data.Schema);
        var damaged = SavedModelBytes.Edit(zip, (name, bytes) =>
        {
            if (!name.Contains("OnnxBackbone", StringComparison.Ordinal))
                return null;
            bytes[bytes.Length - 1000] ^= 0x7F; // inside the last initializer's weights
            return bytes;
        });
        var error = SavedModelBytes.LoadFails(ml, damaged);
        Assert.Contains("component MlxFeaturizeImage, stream 'OnnxBackbone' (the ONNX model)", error.Message);
        Assert.Contains("SHA-256", error.Message);
    }
}
