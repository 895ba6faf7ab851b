using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.TestSupport;

namespace Mlx.Vision.Tests;

/// <summary>Test data: the golden ONNX fixtures and the bundled tuxpaint photos.</summary>
internal static class VisionData
{
    public static string Fixture(string file) => RepoPaths.Combine("tests", "golden", "onnx", file);

    public static string PhotoFolder => RepoPaths.Combine("examples", "data", "tuxpaint_photos");

    /// <summary>The first <paramref name="count"/> photos of labels.csv (path, class).</summary>
    public static IReadOnlyList<PhotoRow> Photos(int count) =>
        File.ReadLines(Path.Combine(PhotoFolder, "labels.csv")).Skip(1).Take(count)
            .Select(l => l.Split(','))
            .Select(f => new PhotoRow { Path = Path.Combine(PhotoFolder, f[0]), Label = f[1] })
            .ToList();

    /// <summary>A view of pixel vectors (the fixture's NCHW input, one image per row) with a row id.</summary>
    public static IDataView PixelRows(MLContext ml, Npz.Array input)
    {
        int length = input.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        var all = input.Singles;
        var rows = Enumerable.Range(0, input.Shape[0])
            .Select(i => new PixelRow { Id = i, Pixels = all.AsSpan(i * length, length).ToArray() }).ToList();
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    public sealed class PhotoRow
    {
        public string Path { get; set; } = "";
        public string Label { get; set; } = "";
    }

    public sealed class PixelRow
    {
        public int Id { get; set; }
        public float[] Pixels { get; set; } = System.Array.Empty<float>();
    }
}
