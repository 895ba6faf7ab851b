namespace Mlx.Estimators;

/// <summary>Padding of convolution and pooling layers (Keras' <c>padding</c>).</summary>
public enum Padding
{
    /// <summary>No padding: the output shrinks by kernel − 1 (then divides by the stride).</summary>
    Valid = 0,

    /// <summary>
    /// Pad so the output has ⌈input / stride⌉ positions. As Keras (TensorFlow), an odd total goes to the bottom/right:
    /// for even kernels or strides this differs from PyTorch's symmetric <c>padding=</c>.
    /// </summary>
    Same = 1,
}

/// <summary>Output sizes and Keras' asymmetric "same" padding along one axis.</summary>
internal static class PaddingMath
{
    /// <summary>The output length of a window of <paramref name="kernel"/> moved by <paramref name="stride"/> over <paramref name="input"/>.</summary>
    public static int Output(int input, int kernel, int stride, Padding padding) =>
        padding == Padding.Same ? (input + stride - 1) / stride : input < kernel ? 0 : (input - kernel) / stride + 1;

    /// <summary>The (left, right, top, bottom) zero padding of Keras' "same" over (height, width), or null when none is needed or padding is Valid.</summary>
    public static long[]? Pads2D(Padding padding, int height, int width, int kernelHeight, int kernelWidth, int stride)
    {
        if (padding != Padding.Same)
            return null;
        var (top, bottom) = Same(height, kernelHeight, stride);
        var (left, right) = Same(width, kernelWidth, stride);
        return top + bottom + left + right > 0 ? [left, right, top, bottom] : null;
    }

    /// <summary>The (left, right) padding of Keras' "same" over a length, or null.</summary>
    public static long[]? Pads1D(Padding padding, int length, int kernel, int stride)
    {
        if (padding != Padding.Same)
            return null;
        var (left, right) = Same(length, kernel, stride);
        return left + right > 0 ? [left, right] : null;
    }

    /// <summary>(before, after) padding: TensorFlow's total max((out − 1)·stride + kernel − input, 0), the odd one after.</summary>
    public static (int Before, int After) Same(int input, int kernel, int stride)
    {
        int total = Math.Max((Output(input, kernel, stride, Padding.Same) - 1) * stride + kernel - input, 0);
        return (total / 2, total - total / 2);
    }
}
