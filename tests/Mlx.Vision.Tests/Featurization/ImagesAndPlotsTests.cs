using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Vision.Tests.Featurization;

/// <summary>
/// ML.NET 6.0's image transforms and ScottPlot 5 share one SkiaSharp (3.119): a process that loads images with ML.NET,
/// draws a plot and loads that plot back as an ML.NET image must work (with ML.NET 5.0.1's SkiaSharp 2.88 it threw
/// MissingMethodException).
/// </summary>
public class ImagesAndPlotsTests
{
    [Fact]
    public void ML_NET_images_and_ScottPlot_work_in_one_process()
    {
        var ml = new MLContext(seed: 1);
        var photo = VisionData.Photos(1)[0];
        var before = LoadResized(ml, photo.Path);
        Assert.Equal((64, 48), (before.Width, before.Height));

        var plot = new ScottPlot.Plot();
        plot.Add.Bars(new double[] { 1, 3, 2 });
        string path = Path.Combine(Path.GetTempPath(), $"mlx-plot-{Guid.NewGuid():N}.png");
        plot.SavePng(path, 320, 200);

        var chart = LoadResized(ml, path);
        File.Delete(path);
        // The chart has a white background and coloured bars: not a blank image.
        Assert.Equal((64, 48), (chart.Width, chart.Height));
        var pixels = chart.Pixels.ToArray();
        Assert.True(pixels.Distinct().Count() > 10, "the plot decoded as an image with content");
    }

    private static MLImage LoadResized(MLContext ml, string path)
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new VisionData.PhotoRow { Path = path } });
        var images = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.ResizeImages("Image", 64, 48)).Fit(data).Transform(data);
        return images.GetColumn<MLImage>("Image").Single();
    }
}
