namespace Mlx.Core.Transforms;

/// <summary>
/// Thrown by the numerical code of a slot-wise map when one value cannot be mapped. The ML.NET
/// wiring catches it and rethrows it with the column name and row, so the math stays free of ML.NET.
/// </summary>
public sealed class SlotValueException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="slot">The slot whose value failed.</param>
    /// <param name="value">The offending value.</param>
    /// <param name="problem">What is wrong, e.g. "Box-Cox needs strictly positive values".</param>
    /// <param name="fix">What the user can do.</param>
    public SlotValueException(int slot, double value, string problem, string fix)
        : base($"Slot {slot}: {problem} (found {value}). {fix}")
    {
        Slot = slot;
        Value = value;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The slot whose value failed.</summary>
    public int Slot { get; }

    /// <summary>The offending value.</summary>
    public double Value { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>What the user can do.</summary>
    public string Fix { get; }
}
