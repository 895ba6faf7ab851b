using System.Globalization;
using System.Text;

namespace Mlx.FeatureEngineering;

/// <summary>One slot's fitted interval and how many rows it flagged.</summary>
/// <param name="Slot">Slot index.</param>
/// <param name="Name">Slot name (or "slot j").</param>
/// <param name="Lower">Lowest accepted value (null: the slot was not judged, its spread is 0).</param>
/// <param name="Upper">Highest accepted value.</param>
/// <param name="FlaggedRows">Rows with a value of this slot outside [Lower, Upper].</param>
public sealed record OutlierSlot(int Slot, string Name, double? Lower, double? Upper, long FlaggedRows);

/// <summary>A removed row: its index in the input, and the first slot (in slot order) that put it out, with its value.</summary>
public sealed record RemovedRow(long Row, int Slot, string SlotName, double Value);

/// <summary>What <see cref="OutlierCatalog.FilterOutliers"/> removed and why: the rule, each slot's interval and count, every removed row.</summary>
public sealed class OutlierReport
{
    internal OutlierReport(OutlierRule rule, long rows, IReadOnlyList<OutlierSlot> slots, IReadOnlyList<RemovedRow> removed)
    {
        Rule = rule;
        Rows = rows;
        Slots = slots;
        Removed = removed;
    }

    /// <summary>The rule applied.</summary>
    public OutlierRule Rule { get; }

    /// <summary>Rows read.</summary>
    public long Rows { get; }

    /// <summary>Per slot: interval and flagged rows.</summary>
    public IReadOnlyList<OutlierSlot> Slots { get; }

    /// <summary>The removed rows, in data order.</summary>
    public IReadOnlyList<RemovedRow> Removed { get; }

    /// <summary>A printable table: the rule, rows kept and removed, each slot's interval and count.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Rule}: removed {Removed.Count:N0} of {Rows:N0} rows ({100.0 * Removed.Count / Math.Max(1, Rows):F1} %)");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"slot",-24} {"lower",12} {"upper",12} {"rows out",9}");
        foreach (var s in Slots)
        {
            string lower = s.Lower is double l ? l.ToString("G6", CultureInfo.InvariantCulture) : "(spread 0)";
            string upper = s.Upper is double u ? u.ToString("G6", CultureInfo.InvariantCulture) : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Name,-24} {lower,12} {upper,12} {s.FlaggedRows,9:N0}");
        }
        return text.ToString();
    }
}
