using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Drops whole feature maps (Keras <c>SpatialDropout2D</c>): each channel of each example is zeroed with probability
/// <see cref="Rate"/> during training and the others scaled by 1/(1 − rate); neighbouring pixels are correlated, so
/// dropping single pixels regularises little. See <see cref="Layer.SpatialDropout2D"/>.
/// </summary>
public sealed record SpatialDropout2DLayer(double Rate) : Layer
{
    internal const byte Kind = 8;

    /// <inheritdoc/>
    public override string Name => "SpatialDropout2D";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 3)
            throw build.ShapeError(this, $"SpatialDropout2D takes (channels, height, width) examples, not a {build.Shape.Length}-D tensor", "Use Layer.Dropout on flat vectors.");
        build.Add("spatialdropout", new ChannelDropout(Rate, build.DropoutGenerator));
    }

    // Scoring never drops channels: nothing to export but the module to skip.
    internal override void Export(OnnxExport export) => export.Take();

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Rate);
    }

    internal static SpatialDropout2DLayer Read(BinaryReader r) => new(r.ReadDouble());

    /// <summary>One keep/drop draw per (example, channel) from the run's generator; identity in evaluation mode.</summary>
    private sealed class ChannelDropout(double rate, Generator generator) : nn.Module<Tensor, Tensor>(nameof(ChannelDropout))
    {
        public override Tensor forward(Tensor input)
        {
            if (!training || rate == 0)
                return input.alias();
            using var keep = rand(new[] { input.shape[0], input.shape[1], 1L, 1L }, generator: generator).ge_(rate);
            return input * keep / (1 - rate);
        }
    }
}
