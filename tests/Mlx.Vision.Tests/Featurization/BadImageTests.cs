using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.Vision.Tests.Featurization;

/// <summary>
/// A corrupt or empty image file: by default an error naming the row, the file and the fix (not ML.NET's bare "Invalid
/// input stream contents"); with BadImageHandling.MissingFeatures, NaN features for that row only, a warning, and rows
/// that FilterRowsByMissingValues drops.
/// </summary>
public class BadImageTests
{
    private static (MLContext Ml, IDataView Data, string[] Paths) Folder(string name)
    {
        var ml = new MLContext(seed: 1);
        string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"mlx-bad-images-{name}-{Guid.NewGuid():N}")).FullName;
        var photos = VisionData.Photos(3);
        var paths = new List<string>();
        for (int i = 0; i < photos.Count; i++)
        {
            paths.Add(Path.Combine(folder, $"good{i}.png"));
            File.Copy(photos[i].Path, paths[^1]);
            if (i == 0)
            {
                paths.Add(Path.Combine(folder, "corrupt.png"));
                File.WriteAllBytes(paths[^1], "this is not a PNG file at all"u8.ToArray());
            }
        }
        paths.Add(Path.Combine(folder, "empty.jpg"));
        File.WriteAllBytes(paths[^1], []);
        var rows = paths.Select(p => new VisionData.PhotoRow { Path = p, Label = Path.GetFileNameWithoutExtension(p) }).ToList();
        return (ml, ml.Data.LoadFromEnumerable(rows), paths.ToArray());
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, BadImageHandling handling) =>
        ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.FeaturizeImage("Features", "Image", OnnxBackbone.FromFile(VisionData.Fixture("vgg_tiny_opset13.onnx")), batchSize: 2, badImages: handling));

    [Fact]
    public void A_corrupt_file_fails_naming_the_row_file_and_fix()
    {
        var (ml, data, paths) = Folder("fail");
        var output = Pipeline(ml, BadImageHandling.Fail).Fit(data).Transform(data);
        var e = Assert.Throws<InvalidOperationException>(() => output.GetColumn<float[]>("Features").ToList());
        Assert.Contains("Column 'Image' (cursor position 1)", e.Message);
        Assert.Contains($"Path = '{paths[1]}'", e.Message);
        Assert.Contains("BadImageHandling.MissingFeatures", e.Message);
    }

    [Fact]
    public void MissingFeatures_gives_NaN_rows_that_can_be_filtered_and_keeps_the_good_ones()
    {
        var (ml, data, paths) = Folder("missing");
        var warnings = new List<string>();
        ml.Log += (_, m) => { if (m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) lock (warnings) warnings.Add(m.Message); };
        var features = Pipeline(ml, BadImageHandling.MissingFeatures).Fit(data).Transform(data).GetColumn<float[]>("Features").ToList();
        Assert.Equal(paths.Length, features.Count);

        var good = paths.Select((p, i) => (p, i)).Where(x => Path.GetFileName(x.p).StartsWith("good", StringComparison.Ordinal)).Select(x => x.i).ToArray();
        var bad = Enumerable.Range(0, paths.Length).Except(good).ToArray();
        Assert.Equal(2, bad.Length);
        Assert.All(bad, i => Assert.All(features[i], v => Assert.True(float.IsNaN(v))));
        Assert.Contains(warnings, w => w.Contains("corrupt.png"));
        Assert.Contains(warnings, w => w.Contains("empty.jpg"));

        // The good rows have exactly the features of a clean run over the good files only.
        var clean = ml.Data.LoadFromEnumerable(good.Select(i => new VisionData.PhotoRow { Path = paths[i] }).ToList());
        var expected = Pipeline(ml, BadImageHandling.Fail).Fit(clean).Transform(clean).GetColumn<float[]>("Features").ToList();
        for (int k = 0; k < good.Length; k++)
            Assert.Equal(expected[k], features[good[k]]);

        var filtered = ml.Data.FilterRowsByMissingValues(Pipeline(ml, BadImageHandling.MissingFeatures).Fit(data).Transform(data), "Features");
        Assert.Equal(good.Length, filtered.GetColumn<string>("Path").Count());
    }
}
