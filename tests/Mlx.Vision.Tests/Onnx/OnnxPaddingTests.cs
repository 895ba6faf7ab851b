using Mlx.Vision.Onnx.Import;
using Xunit;
using static TorchSharp.torch;

namespace Mlx.Vision.Tests.Onnx;

/// <summary>
/// Uneven ONNX paddings replaced by the symmetric padding of their begin side only where the windows are the same:
/// checked by running both forms through libtorch (explicitly padded input vs the operator's own symmetric padding).
/// </summary>
public class OnnxPaddingTests
{
    [Theory]
    // CNTK's ResNet18: the 7×7/2 stem (pads 3,3,2,2 on 224) and the stride-2 3×3 convolutions and max pool (1,1,0,0).
    [InlineData(224, 7, 2, 3, 2, true)]
    [InlineData(56, 3, 2, 1, 0, true)]
    [InlineData(112, 3, 2, 1, 0, true)]
    // One more pixel: the symmetric form would add an output column.
    [InlineData(225, 7, 2, 3, 2, false)]
    [InlineData(57, 3, 2, 1, 0, false)]
    // More padding at the end than at the beginning: never the same windows.
    [InlineData(224, 7, 2, 2, 3, false)]
    [InlineData(9, 3, 1, 0, 1, false)]
    public void Uneven_padding_becomes_symmetric_exactly_when_the_convolution_is_unchanged(long side, long kernel, long stride, long begin, long end, bool simplified)
    {
        var padding = new OnnxPadding([begin, begin], [end, end]);
        var result = padding.Simplified([side, side], [kernel, kernel], [stride, stride], [1, 1]);
        Assert.Equal(simplified, result.IsSymmetric);
        Assert.Equal([begin, begin], result.Begin);

        using var scope = NewDisposeScope();
        var x = randn([2, 3, side, side], generator: new Generator(7));
        var weight = randn([4, 3, kernel, kernel], generator: new Generator(8));
        var explicitly = nn.functional.conv2d(padding.Apply(x, 0), weight, strides: [stride, stride]);
        var symmetric = nn.functional.conv2d(x, weight, strides: [stride, stride], padding: [begin, begin]);
        bool same = explicitly.shape.SequenceEqual(symmetric.shape) && explicitly.allclose(symmetric, rtol: 0, atol: 1e-4);
        Assert.Equal(simplified, same);
        if (simplified && begin <= kernel / 2)
        {
            // Max pooling (libtorch pads with −∞ itself): equal to the last bit.
            var pooledExplicitly = nn.functional.max_pool2d(padding.Apply(x, double.NegativeInfinity), [kernel, kernel], [stride, stride]);
            var pooled = nn.functional.max_pool2d(x, [kernel, kernel], [stride, stride], [begin, begin]);
            Assert.True(pooledExplicitly.shape.SequenceEqual(pooled.shape) && pooledExplicitly.eq(pooled).all().item<bool>());
        }
    }
}
