using Microsoft.ML.OnnxRuntime;

namespace Mlx.Vision;

/// <summary>Finds the ResNet18 shipped by the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 and reads its mean image.</summary>
internal static class ResNet18Files
{
    public const string InputName = "Input247";
    public const string OutputName = "Pooling395_Output_0";
    private const string Package = "microsoft.ml.dnnimagefeaturizer.resnet18";
    private const string PackageVersion = "0.23.1";

    public static string Network(string directory) => Path.Combine(directory, "ResNet18Onnx", "ResNet18.onnx");

    private static string Preprocess(string directory) => Path.Combine(directory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>The <c>DnnImageModels</c> folder: given, next to the application, or in the NuGet cache.</summary>
    public static string Locate(string? modelDirectory)
    {
        var candidates = new List<string>();
        if (modelDirectory != null)
            candidates.Add(modelDirectory);
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "DnnImageModels"));
        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        candidates.Add(Path.Combine(nugetRoot, Package, PackageVersion, "tools", "DnnImageModels"));
        foreach (var candidate in candidates)
        {
            if (File.Exists(Network(candidate)) && File.Exists(Preprocess(candidate)))
                return candidate;
        }
        throw new FileNotFoundException(
            $"The bundled ResNet18 was not found (looked for ResNet18Onnx/ResNet18.onnx and ResNetPrepOnnx/ResNetPreprocess.onnx in: {string.Join("; ", candidates)}). " +
            $"Add <PackageReference Include=\"Microsoft.ML.DnnImageFeaturizer.ResNet18\" Version=\"{PackageVersion}\" /> to the application (it copies DnnImageModels/ next to it), " +
            "or pass the folder as modelDirectory.");
    }

    /// <summary>
    /// The package's preprocessing graph reorders RGB planes to BGR and subtracts a 3×224×224 mean image;
    /// running it on a black image gives minus that mean image (in BGR order), read once here so that
    /// preprocessing runs fused with pixel extraction instead of as a second ONNX session.
    /// </summary>
    public static float[] MeanImage(string directory)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(Preprocess(directory), options);
        using var black = OrtValue.CreateTensorValueFromMemory(new float[3 * 224 * 224], new long[] { 1, 3, 224, 224 });
        using var results = session.Run(new RunOptions(), new[] { "OriginalInput" }, new[] { black }, new[] { "PreprocessedInput" });
        var negativeMean = results[0].GetTensorDataAsSpan<float>();
        var mean = new float[negativeMean.Length];
        for (int i = 0; i < mean.Length; i++)
            mean[i] = -negativeMean[i];
        return mean;
    }
}
