using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// Inverted dropout drawing its masks from the training run's own generator: libtorch's <c>nn.Dropout</c> uses the
/// process-wide generator, which any other training in the process (or a test running in parallel) also draws from,
/// so two runs with one seed could differ. In evaluation mode it passes the input through.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _rate;
    private readonly Generator _generator;

    public SeededDropout(double rate, Generator generator) : base(nameof(SeededDropout))
    {
        _rate = rate;
        _generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _rate == 0)
            return input.alias();
        using var keep = rand(input.shape, generator: _generator).ge_(_rate);
        return input * keep / (1 - _rate);
    }
}
