using System.Globalization;
using System.Text;

namespace Mlx.FeatureEngineering;

/// <summary>One slot's drift: PSI, KS statistic and p-value, Jensen–Shannon distance, missing rates then and now, its importance, and whether it drifted.</summary>
public sealed record SlotDrift(int Slot, string Name, double PopulationStabilityIndex, double KolmogorovSmirnov, double PValue, double JensenShannon,
    double ReferenceMissingRate, double CurrentMissingRate, double? Importance, bool Drifted);

/// <summary>The drift of new data against a <see cref="FeatureProfile"/>, slot by slot (most important or most shifted first).</summary>
public sealed class DriftReport
{
    internal DriftReport(long rows, IReadOnlyList<SlotDrift> slots, double psiThreshold, double pValueThreshold, double missingRateThreshold)
    {
        MissingRateThreshold = missingRateThreshold;
        Rows = rows;
        Slots = slots;
        PsiThreshold = psiThreshold;
        PValueThreshold = pValueThreshold;
    }

    /// <summary>Rows of the compared data.</summary>
    public long Rows { get; }

    /// <summary>Every slot, in report order.</summary>
    public IReadOnlyList<SlotDrift> Slots { get; }

    /// <summary>The PSI from which a slot drifts.</summary>
    public double PsiThreshold { get; }

    /// <summary>The KS p-value below which a slot drifts.</summary>
    public double PValueThreshold { get; }

    /// <summary>The change of a slot's missing share (either way) from which it drifts.</summary>
    public double MissingRateThreshold { get; }

    /// <summary>The slots that drifted.</summary>
    public IEnumerable<SlotDrift> Drifted => Slots.Where(s => s.Drifted);

    /// <summary>A printable table.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Drifted.Count()} of {Slots.Count} slots drifted over {Rows:N0} rows (PSI ≥ {PsiThreshold:G3}, KS p < {PValueThreshold:G3} or a missing share changed by ≥ {MissingRateThreshold:P0})");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"slot",-24} {"PSI",8} {"KS",7} {"p-value",10} {"JS",7} {"missing",15} {"importance",10}");
        foreach (var s in Slots)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{s.Name,-24} {s.PopulationStabilityIndex,8:F4} {s.KolmogorovSmirnov,7:F4} {s.PValue,10:G3} {s.JensenShannon,7:F4} {$"{s.ReferenceMissingRate:P1} → {s.CurrentMissingRate:P1}",15} {(s.Importance is double i ? i.ToString("G4", CultureInfo.InvariantCulture) : ""),10}{(s.Drifted ? "  drift" : "")}");
        }
        return text.ToString();
    }

    /// <summary>Saves a PNG: PSI per slot (with the threshold) above the Kolmogorov–Smirnov statistic per slot; drifted slots highlighted.</summary>
    public void SavePlot(string path, int width = 1000, int height = 700) => DriftPlot.Save(this, path, width, height);

    /// <summary>Writes the table as CSV (invariant culture).</summary>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder("slot,name,psi,ks,p_value,js,reference_missing_rate,current_missing_rate,importance,drifted\n");
        foreach (var s in Slots)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{s.Slot},\"{s.Name.Replace("\"", "\"\"")}\",{s.PopulationStabilityIndex:R},{s.KolmogorovSmirnov:R},{s.PValue:R},{s.JensenShannon:R},{s.ReferenceMissingRate:R},{s.CurrentMissingRate:R},{s.Importance?.ToString("R", CultureInfo.InvariantCulture)},{(s.Drifted ? "true" : "false")}\n");
        }
        File.WriteAllText(path, text.ToString());
    }
}
