using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Streamer.Cli;

/// <summary>Durations as people type them: "1s", "500ms", "2.5s", "1m"; a bare number is seconds.</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || double.IsNaN(value) || double.IsInfinity(value) || value * scale > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    /// <summary>An option holding a duration, with a default and a minimum; bad text is a parse error (exit 2).</summary>
    public static Option<TimeSpan> Option(string name, string description, TimeSpan defaultValue, TimeSpan minimum) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, minimum),
    };

    private static TimeSpan Parse(ArgumentResult result, string name, TimeSpan minimum)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!TryParse(text, out var duration))
        {
            result.AddError($"{name} '{text}' is not a duration (e.g. 500ms, 2s, 1.5s, 1m)");
            return default;
        }

        if (duration < minimum)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum.TotalMilliseconds:0} ms, not '{text}'"));
        }

        return duration;
    }
}
