using System.Text.Json;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Vision.Tests.Augmentation;

/// <summary>
/// The resampling of <see cref="ImageAugmenter"/>: closed-form geometry on synthetic images, and every
/// transform × fill mode against Keras' apply_affine_transform computed with scipy (tests/golden/augment).
/// </summary>
public class ImageAugmenterTests
{
    private const int W = 7, H = 5;

    [Fact]
    public void Horizontal_and_vertical_flips_mirror_a_marked_pixel()
    {
        var image = Marked(H, W, row: 1, column: 2);
        var flippedH = Apply(image, W, H, AffineAugmentation.Identity with { FlipHorizontal = true });
        var flippedV = Apply(image, W, H, AffineAugmentation.Identity with { FlipVertical = true });
        Assert.Equal((1, W - 1 - 2), Brightest(flippedH, W));
        Assert.Equal((H - 1 - 1, 2), Brightest(flippedV, W));
    }

    [Fact]
    public void Rotation_by_90_degrees_moves_input_r_c_to_output_c_n_minus_1_minus_r()
    {
        // Keras' matrix [[cos, -sin], [sin, cos]] maps output to input about the centre: for 90° on an
        // n×n image, output (c, n-1-r) reads input (r, c).
        const int N = 9;
        foreach (var (r, c) in new[] { (0, 0), (2, 7), (4, 4), (8, 3) })
        {
            var rotated = Apply(Marked(N, N, r, c), N, N, AffineAugmentation.Identity with { Theta = 90 });
            Assert.Equal((c, N - 1 - r), Brightest(rotated, N));
        }
    }

    [Fact]
    public void Shifts_move_content_by_minus_the_shift_and_half_pixels_blend()
    {
        var image = Marked(H, W, 3, 4);
        // Keras' tx shifts rows: output(r) reads input(r + tx), so content moves up by tx.
        Assert.Equal((1, 4), Brightest(Apply(image, W, H, AffineAugmentation.Identity with { ShiftRows = 2 }), W));
        Assert.Equal((3, 1), Brightest(Apply(image, W, H, AffineAugmentation.Identity with { ShiftColumns = 3 }), W));
        // A half-pixel shift blends the two neighbours equally (bilinear, order 1).
        var blended = Apply(image, W, H, AffineAugmentation.Identity with { ShiftColumns = 0.5 }, FillMode.Constant);
        Assert.Equal(100, blended[(3 * W + 3) * 4]);
        Assert.Equal(100, blended[(3 * W + 4) * 4]);
    }

    [Fact]
    public void Zoom_above_one_shows_a_larger_area_about_the_centre()
    {
        const int N = 9; // centre (4, 4)
        var image = Marked(N, N, 4 + 2, 4 - 4);
        // Input row 4 + 2·1 appears at output row 4 + 1; input column 4 − 2·2 at output column 4 − 2.
        var zoomed = Apply(image, N, N, AffineAugmentation.Identity with { ZoomRows = 2, ZoomColumns = 2 });
        Assert.Equal((5, 2), Brightest(zoomed, N));
    }

    [Fact]
    public void Shear_maps_with_Keras_matrix()
    {
        // Keras' shear matrix [[1, −sin s], [0, cos s]] about the centre; s = 30°: input row = r − ½(c − oc) , input col = oc + (√3/2)(c − oc).
        const int N = 11; // centre 5
        var sheared = Apply(Gradient(N, N), N, N, AffineAugmentation.Identity with { Shear = 30 }, FillMode.Constant, 0);
        // Output (5, 9): input row 5 − 0.5·4 = 3, input col 5 + 0.866·4 = 8.464: gradient value = 10·row + col.
        int value = sheared[(5 * N + 9) * 4];
        Assert.Equal((int)Math.Round(10 * 3 + (5 + Math.Sqrt(3) / 2 * 4)), value);
    }

    [Theory]
    [InlineData(FillMode.Constant, new[] { 7, 7, 7 })]
    [InlineData(FillMode.Nearest, new[] { 40, 40, 40 })]
    [InlineData(FillMode.Reflect, new[] { 40, 30, 20 })]
    [InlineData(FillMode.Wrap, new[] { 0, 10, 20 })]
    public void Fill_modes_fill_rows_shifted_in_from_below(FillMode mode, int[] expected)
    {
        // Rows valued 0, 10, 20, 30, 40; shifting content up by 3 rows uncovers three rows at the bottom.
        var image = new byte[H * W * 4];
        for (int r = 0; r < H; r++)
            image.AsSpan(r * W * 4, W * 4).Fill((byte)(10 * r));
        var shifted = Apply(image, W, H, AffineAugmentation.Identity with { ShiftRows = 3 }, mode, fillValue: 7);
        Assert.Equal(new[] { 30, 40 }, new[] { shifted[0], shifted[W * 4] }.Select(b => (int)b));
        Assert.Equal(expected, Enumerable.Range(2, 3).Select(r => (int)shifted[(r * W + 3) * 4]));
    }

    [Fact]
    public void Every_transform_and_fill_mode_matches_Keras_scipy_reference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "golden", "augment", "keras_affine.json")));
        var root = doc.RootElement;
        int h = root.GetProperty("height").GetInt32(), w = root.GetProperty("width").GetInt32();
        var image = root.GetProperty("image").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        int cases = 0;
        foreach (var result in root.GetProperty("results").EnumerateArray())
        {
            var p = result.GetProperty("params");
            double Get(string name, double fallback) => p.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
            var augmentation = new AffineAugmentation(Get("theta", 0), Get("tx", 0), Get("ty", 0), Get("shear", 0), Get("zx", 1), Get("zy", 1), false, false);
            var mode = Enum.Parse<FillMode>(result.GetProperty("fill_mode").GetString()!, ignoreCase: true);
            var expected = result.GetProperty("output").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var actual = Apply(image, w, h, augmentation, mode, (byte)result.GetProperty("cval").GetInt32());
            // Same float64 arithmetic up to operation order: a blend that lands on .5 (e.g. 0.7a + 0.3b) may round
            // either way, so a few values may differ by one level; nothing may differ by more.
            int exact = expected.Zip(actual, (e, a) => e == a ? 1 : 0).Sum();
            Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1, $"{result.GetProperty("case")} {mode}: a pixel differs by more than 1");
            Assert.True(exact >= expected.Length * 0.99, $"{result.GetProperty("case")} {mode}: {expected.Length - exact} pixels differ");
            cases++;
        }
        Assert.Equal(20, cases);
    }

    [Fact]
    public void Draws_follow_the_ranges_and_the_seed()
    {
        var options = new ImageAugmentationOptions { RotationRange = 30, WidthShiftRange = 0.1f, HeightShiftRange = 5, ShearRange = 10, ZoomRange = 0.2f, HorizontalFlip = true };
        var draws = Enumerable.Range(0, 2000).Select(i => AffineAugmentation.Draw(options, 200, 100, new Random(i))).ToList();
        Assert.All(draws, d =>
        {
            Assert.InRange(d.Theta, -30, 30);
            Assert.InRange(d.ShiftColumns, -20, 20); // 0.1 × width 200
            Assert.InRange(d.ShiftRows, -5, 5);       // 5 pixels
            Assert.InRange(d.Shear, -10, 10);
            Assert.InRange(d.ZoomRows, 0.8, 1.2);
            Assert.InRange(d.ZoomColumns, 0.8, 1.2);
            Assert.False(d.FlipVertical);
        });
        // Uniform over the range: mean near 0 and about half flipped.
        Assert.InRange(draws.Average(d => d.Theta), -1.5, 1.5);
        Assert.InRange(draws.Count(d => d.FlipHorizontal), 900, 1100);
        Assert.Equal(AffineAugmentation.Draw(options, 200, 100, new Random(5)), AffineAugmentation.Draw(options, 200, 100, new Random(5)));
    }

    private static byte[] Apply(byte[] image, int width, int height, AffineAugmentation augmentation, FillMode mode = FillMode.Constant, byte fillValue = 0)
    {
        var output = new byte[image.Length];
        ImageAugmenter.Apply(image, width, height, augmentation, mode, fillValue, output);
        return output;
    }

    private static byte[] Marked(int height, int width, int row, int column)
    {
        var image = new byte[height * width * 4];
        image.AsSpan((row * width + column) * 4, 4).Fill(200);
        return image;
    }

    private static byte[] Gradient(int height, int width)
    {
        var image = new byte[height * width * 4];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                image.AsSpan((r * width + c) * 4, 4).Fill((byte)(10 * r + c));
        return image;
    }

    private static (int Row, int Column) Brightest(byte[] image, int width)
    {
        int best = 0;
        for (int i = 0; i < image.Length / 4; i++)
            if (image[i * 4] > image[best * 4])
                best = i;
        return (best / width, best % width);
    }
}
