using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlx.Cli;

/// <summary>Parses durations as the CLI accepts them: 90s, 5m, 1h, 1h30m, 120 (seconds) or 00:05:00.</summary>
internal static partial class Durations
{
    /// <summary>The longest budget accepted: a month (longer ones are typing mistakes, and overflow time arithmetic).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(31);

    /// <summary>
    /// Parses <paramref name="text"/>; false when it is not a duration, is not positive or is longer than
    /// <see cref="Longest"/> (1e308, Infinity or 99999999999h would overflow <see cref="TimeSpan"/>).
    /// </summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        double? seconds = Seconds(text.Trim());
        if (seconds is not { } s || !double.IsFinite(s) || s <= 0 || s > Longest.TotalSeconds)
            return false;
        duration = TimeSpan.FromSeconds(s);
        return true;
    }

    // The duration in seconds, as a double so that huge values stay comparable instead of overflowing.
    private static double? Seconds(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds;
        var match = Units().Match(text);
        if (match.Success && match.Length == text.Length && text.Length > 0)
        {
            double total = 0;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                total += value * part.Value[^1] switch { 'h' => 3600, 'm' => 60, _ => 1 };
            }
            return total;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span.TotalSeconds : null;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[hms])+$")]
    private static partial Regex Units();
}
