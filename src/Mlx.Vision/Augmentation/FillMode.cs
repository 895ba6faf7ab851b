namespace Mlx.Vision;

/// <summary>How points outside the image are filled (Keras <c>fill_mode</c>; shown for a row <c>abcd</c>).</summary>
public enum FillMode
{
    /// <summary><c>aaaa|abcd|dddd</c>: the nearest edge pixel (Keras' default).</summary>
    Nearest,

    /// <summary><c>kkkk|abcd|kkkk</c>: a constant (<see cref="ImageAugmentationOptions.FillValue"/>); as scipy's 'constant', samples outside the image are not blended with it.</summary>
    Constant,

    /// <summary><c>dcba|abcd|dcba</c>: mirrored at the edge (half-sample symmetric).</summary>
    Reflect,

    /// <summary><c>abcd|abcd|abcd</c>: the image tiled (period = image size, as Keras documents it and its newer layers do).</summary>
    Wrap,
}
