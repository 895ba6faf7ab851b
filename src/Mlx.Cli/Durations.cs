using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlx.Cli;

/// <summary>Parses durations as the CLI accepts them: 90s, 5m, 1h, 1h30m, 120 (seconds) or 00:05:00.</summary>
internal static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var match = Units().Match(text);
        if (match.Success && match.Length == text.Length && text.Length > 0)
        {
            duration = TimeSpan.Zero;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unit = part.Value[^1];
                var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                duration += unit switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
            }
            return duration > TimeSpan.Zero;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[hms])+$")]
    private static partial Regex Units();
}
