namespace Mlx.Vision;

/// <summary>
/// One drawn augmentation, in Keras' terms: <see cref="Theta"/> rotation and <see cref="Shear"/> in degrees,
/// <see cref="ShiftRows"/>/<see cref="ShiftColumns"/> in pixels (Keras' tx/ty), zoom factors per axis, flips.
/// </summary>
public readonly record struct AffineAugmentation(double Theta, double ShiftRows, double ShiftColumns, double Shear,
    double ZoomRows, double ZoomColumns, bool FlipHorizontal, bool FlipVertical)
{
    /// <summary>No change.</summary>
    public static AffineAugmentation Identity { get; } = new(0, 0, 0, 0, 1, 1, false, false);

    /// <summary>Draws one augmentation as Keras' <c>get_random_transform</c> does (same order of draws, same ranges).</summary>
    public static AffineAugmentation Draw(ImageAugmentationOptions options, int width, int height, Random random)
    {
        double Uniform(double range) => range == 0 ? 0 : (2 * random.NextDouble() - 1) * range;
        double theta = Uniform(options.RotationRange);
        double tx = Uniform(options.HeightShiftRange);
        if (options.HeightShiftRange < 1)
            tx *= height;
        double ty = Uniform(options.WidthShiftRange);
        if (options.WidthShiftRange < 1)
            ty *= width;
        double shear = Uniform(options.ShearRange);
        double zx = 1, zy = 1;
        if (options.ZoomRange != 0)
        {
            zx = 1 + Uniform(options.ZoomRange);
            zy = 1 + Uniform(options.ZoomRange);
        }
        bool flipH = options.HorizontalFlip && random.NextDouble() < 0.5;
        bool flipV = options.VerticalFlip && random.NextDouble() < 0.5;
        return new AffineAugmentation(theta, tx, ty, shear, zx, zy, flipH, flipV);
    }

    /// <summary>
    /// The map from output (row, column) to input (row, column): Keras' rotation · shift · shear · zoom,
    /// taken about the centre ((h − 1)/2, (w − 1)/2). Returns a 2×3 row-major matrix.
    /// </summary>
    internal double[] OutputToInput(int height, int width)
    {
        double t = Theta * Math.PI / 180, s = Shear * Math.PI / 180;
        // M = R(t) · T(tx, ty) · S(s) · Z(zx, zy), 3×3 with last row (0, 0, 1).
        var m = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        if (Theta != 0)
            m = Multiply(m, new double[,] { { Math.Cos(t), -Math.Sin(t), 0 }, { Math.Sin(t), Math.Cos(t), 0 }, { 0, 0, 1 } });
        if (ShiftRows != 0 || ShiftColumns != 0)
            m = Multiply(m, new double[,] { { 1, 0, ShiftRows }, { 0, 1, ShiftColumns }, { 0, 0, 1 } });
        if (Shear != 0)
            m = Multiply(m, new double[,] { { 1, -Math.Sin(s), 0 }, { 0, Math.Cos(s), 0 }, { 0, 0, 1 } });
        if (ZoomRows != 1 || ZoomColumns != 1)
            m = Multiply(m, new double[,] { { ZoomRows, 0, 0 }, { 0, ZoomColumns, 0 }, { 0, 0, 1 } });
        double or = height / 2.0 - 0.5, oc = width / 2.0 - 0.5;
        m = Multiply(Multiply(new double[,] { { 1, 0, or }, { 0, 1, oc }, { 0, 0, 1 } }, m), new double[,] { { 1, 0, -or }, { 0, 1, -oc }, { 0, 0, 1 } });
        return new[] { m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2] };
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var c = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    c[i, j] += a[i, k] * b[k, j];
        return c;
    }
}
