using System.Text.Json;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>Arrays of the layer golden files (JSON written by the PyTorch reference scripts) and their comparison.</summary>
public static class GoldenArrays
{
    /// <summary>A JSON array of integers.</summary>
    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>A JSON array of numbers as doubles (the float64 reference values).</summary>
    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>A JSON array of numbers as floats (inputs and weights given to the float32 layers).</summary>
    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    /// <summary>
    /// Asserts every |actual − expected| ≤ <paramref name="tolerance"/> × the largest |expected| of the array (float32
    /// layers against float64 references: errors scale with the array's magnitude, not each element's).
    /// </summary>
    public static void CloseToScale(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-12, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * scale, $"{what} [{i}]: {actual[i]} vs {expected[i]} (scale {scale})");
    }
}
