using System.Globalization;
using System.Text.Json;

namespace Mlx.TestSupport;

/// <summary>Reads the golden JSON files (floats written by Python's repr; "NaN"/"Infinity" as strings).</summary>
public sealed class GoldenJson
{
    private GoldenJson(JsonElement root) => Root = root;

    /// <summary>The document root.</summary>
    public JsonElement Root { get; }

    /// <summary>Loads tests/golden/sklearn/&lt;dataset&gt;.json.</summary>
    public static GoldenJson LoadSklearn(string dataset) =>
        new(JsonDocument.Parse(File.ReadAllText(RepoPaths.SklearnGolden(dataset + ".json"))).RootElement);

    /// <summary>The element at a path of property names.</summary>
    public JsonElement At(params string[] path)
    {
        var e = Root;
        foreach (var p in path)
            e = e.GetProperty(p);
        return e;
    }

    /// <summary>A number (or "NaN"/"Infinity" string) as double.</summary>
    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture)
        : e.GetDouble();

    /// <summary>A list of numbers.</summary>
    public static double[] Vector(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    /// <summary>A list of rows of numbers.</summary>
    public static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();

    /// <summary>A list of strings.</summary>
    public static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
}
