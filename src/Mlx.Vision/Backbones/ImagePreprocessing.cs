using Microsoft.ML.Internal.Utilities;
using Mlx.Core.Persistence;

namespace Mlx.Vision;

/// <summary>
/// How 0–255 RGB pixels become a backbone's input tensor (planar C×H×W):
/// <c>x = (pixel × Scale − Mean[c] − MeanImage[c, y, x]) / Std[c]</c>, planes in <see cref="ChannelOrder"/>.
/// Mean, Std and MeanImage are given in the model's channel order.
/// </summary>
public sealed record ImagePreprocessing
{
    /// <summary>The plane order the model expects.</summary>
    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Multiplies 0–255 pixel values first (1/255 for models trained on 0–1 images).</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Per-channel mean subtracted after scaling (model channel order).</summary>
    public IReadOnlyList<float> Mean { get; init; } = new float[] { 0, 0, 0 };

    /// <summary>Per-channel standard deviation divided by last (model channel order).</summary>
    public IReadOnlyList<float> Std { get; init; } = new float[] { 1, 1, 1 };

    /// <summary>An optional per-pixel mean image (C×H×W, model channel order), as Caffe-era models use.</summary>
    public IReadOnlyList<float>? MeanImage { get; init; }

    /// <summary>Pixels passed as they are (0–255, RGB).</summary>
    public static ImagePreprocessing None { get; } = new();

    /// <summary>
    /// torchvision's ImageNet normalisation (RGB, scale 1/255, mean 0.485/0.456/0.406, std 0.229/0.224/0.225):
    /// what PyTorch-exported backbones and the ONNX model zoo's VGG/ResNet expect.
    /// </summary>
    public static ImagePreprocessing ImageNet { get; } = new()
    {
        Scale = 1f / 255f,
        Mean = new[] { 0.485f, 0.456f, 0.406f },
        Std = new[] { 0.229f, 0.224f, 0.225f },
    };

    /// <summary>
    /// The preprocessing folded for a (channels, height, width) input: model plane c =
    /// RGB plane <c>SourcePlanes[c]</c> × <c>Multiplier[c]</c> + <c>Offset[c]</c> − <c>ScaledMeanImage[c, y, x]</c>, for 0–255 pixels
    /// (one multiply-add per value, the mean image pre-divided by the standard deviation).
    /// </summary>
    internal FoldedPreprocessing Fold(int channels, int height, int width)
    {
        var multiplier = new float[channels];
        var offset = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            multiplier[c] = Scale / Std[c];
            offset[c] = -Mean[c] / Std[c];
        }
        int[] planes = channels == 1 ? [0] : ChannelOrder == ChannelOrder.Rgb ? [0, 1, 2] : [2, 1, 0];
        float[]? meanImage = null;
        if (MeanImage != null)
        {
            int plane = height * width;
            meanImage = new float[channels * plane];
            for (int i = 0; i < meanImage.Length; i++)
                meanImage[i] = MeanImage[i] / Std[i / plane];
        }
        return new FoldedPreprocessing(multiplier, offset, planes, meanImage);
    }

    /// <summary>The saved form (FeaturizeImage models and fine-tuned backbone layers).</summary>
    internal void Write(BinaryWriter w)
    {
        w.Write((byte)ChannelOrder);
        w.Write(Scale);
        w.WriteSingleArray(Mean.ToArray());
        w.WriteSingleArray(Std.ToArray());
        w.WriteBoolByte(MeanImage != null);
        if (MeanImage != null)
            w.WriteSingleArray(MeanImage.ToArray());
    }

    /// <summary>Reads what <c>Write</c> saved; <paramref name="component"/> names the saved component in errors.</summary>
    internal static ImagePreprocessing Read(BinaryReader r, string component) => new()
    {
        ChannelOrder = (ChannelOrder)r.ReadByte(),
        Scale = r.ReadSingle(),
        Mean = r.ReadFloatArrayBounded(component, "preprocessing means"),
        Std = r.ReadFloatArrayBounded(component, "preprocessing standard deviations"),
        MeanImage = r.ReadBoolByte() ? r.ReadFloatArrayBounded(component, "preprocessing mean image") : null,
    };

    internal void Validate(int channels, int height, int width)
    {
        if (Mean.Count != channels || Std.Count != channels)
            throw new ArgumentException($"The preprocessing has {Mean.Count} means and {Std.Count} standard deviations, but the model takes {channels} channels. Give one per channel.");
        if (Std.Any(s => !(s > 0) || !float.IsFinite(s)))
            throw new ArgumentException($"Every standard deviation must be positive and finite (found {string.Join(", ", Std)}).");
        if (MeanImage != null && MeanImage.Count != channels * height * width)
            throw new ArgumentException($"The mean image has {MeanImage.Count} values, but the model input is {channels}×{height}×{width} = {channels * height * width}.");
        if (channels != 3 && channels != 1)
            throw new ArgumentException($"The model input has {channels} channels; images give 3 (colour) or 1 (grey).");
    }
}

/// <summary>An <see cref="ImagePreprocessing"/> folded into per-channel multiply-adds (see <see cref="ImagePreprocessing.Fold"/>).</summary>
internal sealed record FoldedPreprocessing(float[] Multiplier, float[] Offset, int[] SourcePlanes, float[]? ScaledMeanImage)
{
    /// <summary>Whether the model reads the RGB planes in another order.</summary>
    public bool ReordersPlanes => SourcePlanes.Select((p, c) => p != c).Any(moved => moved);
}
