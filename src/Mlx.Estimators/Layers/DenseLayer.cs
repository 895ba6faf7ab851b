using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>A fully connected layer; see <see cref="Layer.Dense"/>.</summary>
public sealed record DenseLayer(int Units, Activation Activation, Regularizer? Regularizer, bool UseBias) : Layer
{
    internal const byte Kind = 1;

    /// <inheritdoc/>
    public override string Name => "Dense";

    internal override void Build(LayerBuild build)
    {
        if (build.Shape.Length != 1)
            throw build.ShapeError(this, $"Dense takes flat vectors, not a {build.Shape.Length}-D tensor", "Add Layer.Flatten() (or a global pooling layer) before it.");
        build.Add("dense", Create(build, build.Shape[0], Units, UseBias, out var linear));
        build.Penalise(linear.weight!, Regularizer);
        build.AddActivation(Activation);
        build.Shape = [Units];
    }

    /// <summary>A Linear module with Keras' Dense initialisation (glorot_uniform kernel, zero bias), not PyTorch's kaiming default.</summary>
    internal static Linear Create(LayerBuild build, int inputs, int outputs, bool useBias, out Linear linear)
    {
        linear = nn.Linear(inputs, outputs, hasBias: useBias);
        build.GlorotUniform(linear.weight!, inputs, outputs);
        LayerBuild.ZeroBias(linear.bias);
        return linear;
    }

    internal override void Export(OnnxExport export)
    {
        var linear = export.Take<Linear>();
        var inputs = new List<string> { export.Initializer("weight", linear.weight!) };
        if (linear.bias is { } bias)
            inputs.Add(export.Initializer("bias", bias));
        export.Apply("Gemm", inputs.ToArray(), OnnxExport.Int("transB", 1));
        export.Activation(Activation);
        export.Shape = [Units];
    }

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Units);
        w.Write((byte)Activation);
        w.Write(UseBias);
        Regularizer.Write(w, Regularizer);
    }

    internal static DenseLayer Read(BinaryReader r)
    {
        int units = r.ReadInt32();
        var activation = (Activation)r.ReadByte();
        bool bias = r.ReadBoolean();
        return new DenseLayer(units, activation, Regularizer.Read(r), bias);
    }
}
