namespace Mlx.Vision;

/// <summary>The order of the colour planes a backbone expects.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (PyTorch/torchvision, Keras applications with 'torch' or 'tf' preprocessing).</summary>
    Rgb,

    /// <summary>Blue, green, red (Caffe-style models, Keras VGG16/ResNet50 'caffe' preprocessing, the bundled ResNet18).</summary>
    Bgr,
}
