namespace Mlx.Estimators;

/// <summary>
/// Weight penalties added to the training loss, as Keras' kernel regularizers: <c>L1·Σ|w| + L2·Σw²</c> over the
/// layer's weight matrix (not its bias), summed into the mini-batch loss.
/// </summary>
/// <param name="L1">The L1 factor.</param>
/// <param name="L2">The L2 factor.</param>
public sealed record Regularizer(double L1, double L2)
{
    /// <summary>An L1 (lasso) penalty.</summary>
    public static Regularizer L1Penalty(double factor) => new(Check(factor), 0);

    /// <summary>An L2 (ridge, weight-decay) penalty.</summary>
    public static Regularizer L2Penalty(double factor) => new(0, Check(factor));

    /// <summary>Both penalties.</summary>
    public static Regularizer L1L2(double l1, double l2) => new(Check(l1), Check(l2));

    /// <summary>Writes the penalty of a layer (0, 0 for none).</summary>
    internal static void Write(BinaryWriter w, Regularizer? regularizer)
    {
        w.Write(regularizer?.L1 ?? 0);
        w.Write(regularizer?.L2 ?? 0);
    }

    /// <summary>Reads what <see cref="Write"/> wrote: null when both factors are 0.</summary>
    internal static Regularizer? Read(BinaryReader r)
    {
        double l1 = r.ReadDouble(), l2 = r.ReadDouble();
        return l1 > 0 || l2 > 0 ? new Regularizer(l1, l2) : null;
    }

    private static double Check(double factor) =>
        factor >= 0 && double.IsFinite(factor) ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "A regularization factor must be finite and not negative.");
}
