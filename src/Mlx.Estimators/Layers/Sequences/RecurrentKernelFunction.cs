using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// A recurrence Mlx runs itself (<see cref="RecurrentKernel"/>) as an autograd function: inputs are the precomputed input
/// terms (rows, steps, gates·units), W_hh and b_hh; the output is every step's output (rows, steps, units), 0 after each
/// row's length. Gradients flow back to the input terms (and through libtorch to W_ih, b_ih and the layer's input) and
/// into W_hh and b_hh.
/// </summary>
internal sealed class RecurrentKernelFunction : autograd.SingleTensorFunction<RecurrentKernelFunction>
{
    private const string KernelKey = "kernel";

    public override string Name => "MlxRecurrence";

    /// <summary>Creates the kernel for a batch: (rows, steps, units, lengths, recurrent mask, threads).</summary>
    public delegate RecurrentKernel KernelFactory(int rows, int steps, int units, int[] lengths, float[]? recurrentMask, int threads);

    /// <summary>Every step's output for <paramref name="inputTerms"/> = x·W_ihᵀ + b_ih.</summary>
    public static Tensor Apply(KernelFactory kernel, Tensor inputTerms, Tensor recurrentWeight, Tensor recurrentBias, int[] lengths, Tensor? recurrentMask) =>
        apply(inputTerms, recurrentWeight, recurrentBias, lengths, recurrentMask!,
            is_grad_enabled() && (inputTerms.requires_grad || recurrentWeight.requires_grad || recurrentBias.requires_grad), kernel);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var inputTerms = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        var bias = (Tensor)vars[2];
        var lengths = (int[])vars[3];
        var mask = vars[4] is Tensor m ? Floats(m) : null;
        int rows = (int)inputTerms.shape[0], steps = (int)inputTerms.shape[1], units = (int)weight.shape[1];
        using var terms = inputTerms.detach().contiguous();
        var kernel = ((KernelFactory)vars[6])(rows, steps, units, lengths, mask, get_num_threads());
        var output = empty(rows, steps, units);
        kernel.Forward(TensorMemory.Floats(terms), Floats(weight), Floats(bias), TensorMemory.Floats(output));
        // Autograd runs forward with gradients off: whether a backward pass will come was decided in Apply.
        if (!(bool)vars[5])
        {
            kernel.Release();
        }
        else
        {
            ctx.save_data(KernelKey, kernel);
            ctx.save_for_backward([weight]);
        }
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var kernel = (RecurrentKernel)ctx.get_data(KernelKey);
        var weight = ctx.get_saved_variables()[0];
        long rows = grad_output.shape[0], steps = grad_output.shape[1], units = weight.shape[1];
        using var gradient = grad_output.contiguous();
        var inputTermGradient = empty(rows, steps, kernel.Gates * units);
        var weightGradient = new float[weight.numel()];
        var biasGradient = new float[weight.shape[0]];
        kernel.Backward(TensorMemory.Floats(gradient), Floats(weight), TensorMemory.Floats(inputTermGradient), weightGradient, biasGradient);
        kernel.Release();
        return [inputTermGradient, tensor(weightGradient, weight.shape), tensor(biasGradient), null!, null!, null!, null!];
    }

    private static float[] Floats(Tensor t)
    {
        using var c = t.detach().contiguous();
        return TensorMemory.Floats(c).ToArray();
    }
}
