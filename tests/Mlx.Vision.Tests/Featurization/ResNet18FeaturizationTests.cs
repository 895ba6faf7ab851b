using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Vision.Tests.Featurization;

/// <summary>
/// The bundled ImageNet ResNet18 on real photos, against an independent implementation: ML.NET's own
/// DnnFeaturizeImage with the same NuGet model (its preprocessing graph, one row at a time).
/// </summary>
public class ResNet18FeaturizationTests
{
    [Fact]
    public void Features_match_MLNET_DnnFeaturizeImage_on_real_photos()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromEnumerable(VisionData.Photos(7));
        var images = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.ResizeImages("Image", 224, 224))
            .Fit(photos).Transform(photos);

        var mlx = ml.Transforms.FeaturizeImage("Features", "Image", batchSize: 4).Fit(images).Transform(images)
            .GetColumn<float[]>("Features").ToList();
        var reference = ml.Transforms.ExtractPixels("Pixels", "Image")
            .Append(ml.Transforms.DnnFeaturizeImage("Reference", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"))
            .Fit(images).Transform(images)
            .GetColumn<float[]>("Reference").ToList();

        Assert.Equal(7, mlx.Count);
        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(512, mlx[i].Length);
            double scale = reference[i].Max(Math.Abs);
            // Same weights; ONNX Runtime's graph optimisations (fused batch norm) reorder float32 sums: 1e-4 of the largest feature.
            for (int j = 0; j < 512; j++)
                Assert.True(Math.Abs(reference[i][j] - mlx[i][j]) <= 1e-4 * scale, $"photo {i} feature {j}: {mlx[i][j]} vs ML.NET {reference[i][j]}");
        }
        // Real features: non-negative (after ReLU + average pooling), varied, and different photos differ.
        Assert.All(mlx, f => Assert.True(f.Min() >= 0 && f.Max() > 0.5));
        Assert.NotEqual(mlx[0], mlx[1]);
    }

    [Fact]
    public void Bundled_backbone_declares_its_shape_and_preprocessing()
    {
        var backbone = OnnxBackbone.ResNet18();
        Assert.Equal((3, 224, 224), (backbone.Channels, backbone.Height, backbone.Width));
        Assert.Equal(new long[] { 512, 1, 1 }, backbone.FeatureShape);
        Assert.Equal(ChannelOrder.Bgr, backbone.Preprocessing.ChannelOrder);
        // The package's mean image is the ImageNet mean in BGR (about 104, 117, 123 on average per plane).
        var mean = backbone.Preprocessing.MeanImage!;
        int plane = 224 * 224;
        var planeMeans = Enumerable.Range(0, 3).Select(c => mean.Skip(c * plane).Take(plane).Average()).ToArray();
        Assert.InRange(planeMeans[0], 95, 115);
        Assert.InRange(planeMeans[1], 105, 125);
        Assert.InRange(planeMeans[2], 112, 132);
    }
}
