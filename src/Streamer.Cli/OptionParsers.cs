using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Streamer.Streaming.Send;

namespace Streamer.Cli;

/// <summary>
/// System.CommandLine parsers over <see cref="Quantities"/>: bad text is one parse error naming the option, the text
/// and what would do (<c>--bitrate: '64x' is not a bitrate (say 64, 64k, …)</c>, exit 2). Without a custom parser
/// System.CommandLine reports "as expected type 'System.Nullable`1[System.Double]'", and a validator that reads
/// the value of such an option throws: every typed option gets one of these.
/// </summary>
internal static class OptionParsers
{
    public delegate bool TryParse<T>(string text, out T value);

    public static Func<ArgumentResult, double?> Bitrate { get; } = Single<double?>("a bitrate", Quantities.BitrateSpellings, (string t, out double? v) => Lift(Quantities.TryParseBitrate(t, out double k), k, out v));

    public static Func<ArgumentResult, double[]?> Bitrates { get; } = Many<double>("a bitrate", Quantities.BitrateSpellings, Quantities.TryParseBitrate);

    public static Func<ArgumentResult, double> Milliseconds { get; } = Single<double>("a duration", "20, 20ms or 0.02s", Quantities.TryParseMilliseconds);

    public static Func<ArgumentResult, double?> MillisecondsOrNone { get; } = Single<double?>("a duration", "20, 20ms or 0.02s", (string t, out double? v) => Lift(Quantities.TryParseMilliseconds(t, out double ms), ms, out v));

    public static Func<ArgumentResult, double> Seconds { get; } = Single<double>("a duration", "3, 3s, 500ms or 1.5m", Quantities.TryParseSeconds);

    public static Func<ArgumentResult, double> Number { get; } = Single<double>("a number", "20 or 2.5", Quantities.TryParseNumber);

    public static Func<ArgumentResult, double?> NumberOrNone { get; } = Single<double?>("a number", "20 or 2.5", (string t, out double? v) => Lift(Quantities.TryParseNumber(t, out double n), n, out v));

    public static Func<ArgumentResult, int> Integer { get; } = Single<int>("a whole number", null, Quantities.TryParseInteger);

    public static Func<ArgumentResult, int?> IntegerOrNone { get; } = Single<int?>("a whole number", null, (string t, out int? v) => Lift(Quantities.TryParseInteger(t, out int n), n, out v));

    public static Func<ArgumentResult, int?> Percent { get; } = Single<int?>("a percentage", "10 or 10%", (string t, out int? v) => Lift(Quantities.TryParsePercent(t, out int n), n, out v));

    public static Func<ArgumentResult, PacingMode> Pacing { get; } = Single<PacingMode>("a pacing mode", "realtime or asap", TryParsePacing);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; out of range is a parse error too.</summary>
    public static Func<ArgumentResult, int> IntegerFrom(int min, int max)
        => result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!Quantities.TryParseInteger(text, out int value))
            {
                result.AddError(Invariant($"{OptionName(result)}: '{text}' is not a whole number from {min} to {max}"));
            }
            else if (value < min || value > max)
            {
                result.AddError(Invariant($"{OptionName(result)} must be from {min} to {max}, not {value}"));
            }

            return value;
        };

    /// <summary>A duration (a bare number is seconds) of at least <paramref name="minimum"/>.</summary>
    public static Func<ArgumentResult, TimeSpan> Duration(TimeSpan minimum)
        => result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!Quantities.TryParseDuration(text, TimeSpan.FromSeconds(1), out var duration))
            {
                result.AddError($"{OptionName(result)}: '{text}' is not a duration (say 500ms, 2s, 1.5s or 1m)");
                return default;
            }

            if (duration < minimum)
            {
                result.AddError(Invariant($"{OptionName(result)} must be at least {minimum.TotalMilliseconds:0} ms, not '{text}'"));
            }

            return duration;
        };

    /// <summary>An option holding a duration, with a default and a minimum; bad text is a parse error (exit 2).</summary>
    public static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue, TimeSpan minimum) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = Duration(minimum),
    };

    /// <summary>
    /// Gives every typed option in the tree that has no parser of its own one from here, so an option added later
    /// cannot bring back .NET type names. Options named <c>--…-ms</c> take durations whose bare number is ms
    /// (<c>--jitter-ms 20</c>, <c>--jitter-ms 0.02s</c>), as every <c>-ms</c> option does.
    /// </summary>
    public static void InstallDefaults(Command command)
    {
        foreach (var option in command.Options)
        {
            bool ms = option.Name.EndsWith("-ms", StringComparison.Ordinal);
            switch (option)
            {
                case Option<double> { CustomParser: null } o:
                    o.CustomParser = ms ? Milliseconds : Number;
                    break;
                case Option<double?> { CustomParser: null } o:
                    o.CustomParser = ms ? MillisecondsOrNone : NumberOrNone;
                    break;
                case Option<int> { CustomParser: null } o:
                    o.CustomParser = Integer;
                    break;
                case Option<int?> { CustomParser: null } o:
                    o.CustomParser = IntegerOrNone;
                    break;
            }
        }

        foreach (var sub in command.Subcommands)
        {
            InstallDefaults(sub);
        }
    }

    private static Func<ArgumentResult, T> Single<T>(string what, string? examples, TryParse<T> parse)
        => result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (parse(text, out T value))
            {
                return value;
            }

            result.AddError($"{OptionName(result)}: '{text}' is not {what}" + (examples is null ? string.Empty : $" (say {examples})"));
            return default!;
        };

    private static Func<ArgumentResult, T[]?> Many<T>(string what, string examples, TryParse<T> parse)
        => result =>
        {
            var values = new T[result.Tokens.Count];
            for (int i = 0; i < values.Length; i++)
            {
                string text = result.Tokens[i].Value;
                if (!parse(text, out values[i]))
                {
                    result.AddError($"{OptionName(result)}: '{text}' is not {what} (say {examples})");
                    return [];
                }
            }

            return values;
        };

    private static bool Lift<T>(bool ok, T value, out T? lifted)
        where T : struct
    {
        lifted = ok ? value : null;
        return ok;
    }

    private static bool TryParsePacing(string text, out PacingMode mode)
    {
        mode = PacingMode.Realtime;
        switch (text.Trim().ToLowerInvariant())
        {
            case "realtime":
                return true;
            case "asap":
                mode = PacingMode.Asap;
                return true;
            default:
                return false;
        }
    }

    private static string OptionName(ArgumentResult result)
        => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
