namespace Mlx.Vision;

/// <summary>
/// Random geometric augmentation with the semantics of Keras' <c>ImageDataGenerator</c>: each variant
/// draws a rotation, shifts, shear and zoom uniformly from these ranges and flips with probability ½,
/// composes them about the image centre and resamples bilinearly (as Keras' scipy path, order 1).
/// </summary>
public sealed record ImageAugmentationOptions
{
    /// <summary>Rotation drawn from ±this many degrees.</summary>
    public float RotationRange { get; init; }

    /// <summary>Horizontal shift drawn from ±this: a fraction of the width when below 1, else pixels.</summary>
    public float WidthShiftRange { get; init; }

    /// <summary>Vertical shift drawn from ±this: a fraction of the height when below 1, else pixels.</summary>
    public float HeightShiftRange { get; init; }

    /// <summary>Shear angle drawn from ±this many degrees (counter-clockwise, as Keras).</summary>
    public float ShearRange { get; init; }

    /// <summary>Zoom factors (rows and columns independently) drawn from [1 − z, 1 + z]; as in Keras, a factor above 1 shows a larger area (zooms out).</summary>
    public float ZoomRange { get; init; }

    /// <summary>Mirror left-right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Mirror top-bottom with probability ½.</summary>
    public bool VerticalFlip { get; init; }

    /// <summary>How points that fall outside the image are filled.</summary>
    public FillMode FillMode { get; init; } = FillMode.Nearest;

    /// <summary>The fill value (0–255, every channel including alpha) for <see cref="FillMode.Constant"/>.</summary>
    public byte FillValue { get; init; }

    internal void Validate()
    {
        Check(RotationRange, nameof(RotationRange), 360);
        Check(WidthShiftRange, nameof(WidthShiftRange), float.MaxValue);
        Check(HeightShiftRange, nameof(HeightShiftRange), float.MaxValue);
        Check(ShearRange, nameof(ShearRange), 89);
        Check(ZoomRange, nameof(ZoomRange), 0.99f);
    }

    private static void Check(float value, string name, float max)
    {
        if (!(value >= 0 && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and {max}.");
    }
}
