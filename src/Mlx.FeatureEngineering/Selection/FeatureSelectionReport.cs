using System.Globalization;
using System.Text;
using Mlx.FeatureEngineering.Selection;

namespace Mlx.FeatureEngineering;

/// <summary>One slot of a <see cref="FeatureSelectionReport"/>.</summary>
/// <param name="Slot">The input slot index.</param>
/// <param name="Name">The slot name.</param>
/// <param name="Score">The score (higher is better).</param>
/// <param name="PValue">The p-value, when the scoring has one.</param>
/// <param name="Coefficient">The model coefficient, for model-based selection.</param>
/// <param name="Rank">1 for the best score.</param>
/// <param name="Kept">Whether the slot is selected.</param>
public sealed record FeatureSelectionRow(int Slot, string Name, double Score, double? PValue, double? Coefficient, int Rank, bool Kept);

/// <summary>
/// The "feature validity analysis" of a fitted selector: every slot with its name, score, p-value, rank and
/// kept flag, best first; printable as a table and savable as CSV.
/// </summary>
public sealed class FeatureSelectionReport
{
    internal FeatureSelectionReport(FeatureSelectionTransformer selector)
    {
        Method = selector.Method;
        var ranks = SlotRanking.Ranks(selector.Scores);
        var kept = selector.SelectedSlots.ToHashSet();
        Rows = Enumerable.Range(0, selector.SlotCount)
            .Select(j => new FeatureSelectionRow(j, selector.SlotNamesOfInput[j], selector.Scores[j], selector.PValues?[j],
                selector.Coefficients?[j], ranks[j], kept.Contains(j)))
            .OrderBy(r => r.Rank)
            .ToArray();
    }

    /// <summary>How slots were scored.</summary>
    public string Method { get; }

    /// <summary>Every slot, best first.</summary>
    public IReadOnlyList<FeatureSelectionRow> Rows { get; }

    /// <summary>A fixed-width table (rank, kept, slot, name, score, p-value, coefficient).</summary>
    public override string ToString()
    {
        int width = Math.Max(4, Rows.Max(r => r.Name.Length));
        var text = new StringBuilder();
        text.AppendLine($"Feature selection by {Method}: {Rows.Count(r => r.Kept)} of {Rows.Count} slots kept");
        text.AppendLine($"{"rank",4}  {"kept",4}  {"slot",4}  {"name".PadRight(width)}  {"score",12}  {"p-value",10}  {"coefficient",12}");
        foreach (var r in Rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Rank,4}  {(r.Kept ? "yes" : ""),4}  {r.Slot,4}  {r.Name.PadRight(width)}  {r.Score,12:G6}  {Format(r.PValue, "E3"),10}  {Format(r.Coefficient, "G6"),12}"));
        }
        return text.ToString();
    }

    /// <summary>Writes the report as CSV (invariant culture; values round-trip).</summary>
    public void SaveCsv(string path)
    {
        var text = new StringBuilder("rank,kept,slot,name,score,p_value,coefficient\n");
        foreach (var r in Rows)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{r.Rank},{(r.Kept ? "true" : "false")},{r.Slot},{Quote(r.Name)},{r.Score:R},{Format(r.PValue, "R")},{Format(r.Coefficient, "R")}\n"));
        }
        File.WriteAllText(path, text.ToString());
    }

    private static string Format(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
