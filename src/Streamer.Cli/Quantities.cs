using System.Globalization;

namespace Streamer.Cli;

/// <summary>
/// Quantities as people type them on a command line: bitrates (<c>64</c>, <c>64k</c>, <c>64kbps</c>,
/// <c>64kbit/s</c>, <c>64000</c>), durations (<c>20ms</c>, <c>1.5s</c>, <c>2m</c>, a bare number in the option's
/// unit), sizes (<c>64k</c>, <c>1MiB</c>, <c>1.5MB</c>) and plain numbers. Case does not matter and a space may sit
/// between number and unit. The one place every option's text becomes a value, so all spell the same.
/// </summary>
/// <remarks>
/// Signs are accepted (<c>-1</c> parses): range checks belong to whoever knows the range, and they can then say
/// "must be from 0 to 10000, not -1" instead of a vaguer "not a number". NaN and infinities never parse.
/// </remarks>
internal static class Quantities
{
    /// <summary>A bare bitrate at or above this is bit/s: nobody means 6000 kbit/s, and Opus's floor is 6 kbit/s = 6000 bit/s.</summary>
    public const double BareBitsPerSecondFrom = 6000;

    public const string BitrateSpellings = "64, 64k, 64kbps, 64kbit/s or 64000";

    private static readonly (string Unit, double Kbps)[] BitrateUnits =
    [
        ("kbit/s", 1), ("kbits/s", 1), ("kb/s", 1), ("kbps", 1), ("kbit", 1), ("k", 1),
        ("mbit/s", 1000), ("mbits/s", 1000), ("mb/s", 1000), ("mbps", 1000), ("mbit", 1000), ("m", 1000),
        ("bit/s", 0.001), ("bits/s", 0.001), ("b/s", 0.001), ("bps", 0.001),
    ];

    private static readonly (string Unit, double Seconds)[] DurationUnits =
    [
        ("us", 1e-6), ("µs", 1e-6), ("ms", 0.001),
        ("s", 1), ("sec", 1), ("secs", 1), ("second", 1), ("seconds", 1),
        ("m", 60), ("min", 60), ("mins", 60), ("minute", 60), ("minutes", 60),
        ("h", 3600), ("hour", 3600), ("hours", 3600),
    ];

    // Binary multiples for the short forms, as dd, ulimit and most buffer options read them; "kB"/"MB" are SI.
    private static readonly (string Unit, long Bytes)[] SizeUnits =
    [
        ("b", 1), ("byte", 1), ("bytes", 1),
        ("k", 1L << 10), ("kib", 1L << 10), ("kb", 1000),
        ("m", 1L << 20), ("mib", 1L << 20), ("mb", 1_000_000),
        ("g", 1L << 30), ("gib", 1L << 30), ("gb", 1_000_000_000),
    ];

    /// <summary>A bitrate in kbit/s. A bare number of <see cref="BareBitsPerSecondFrom"/> or more is bit/s, below it kbit/s.</summary>
    public static bool TryParseBitrate(string text, out double kbps)
    {
        kbps = 0;
        if (!TrySplit(text, out double value, out string unit))
        {
            return false;
        }

        if (unit.Length == 0)
        {
            kbps = Math.Abs(value) >= BareBitsPerSecondFrom ? value / 1000 : value;
            return true;
        }

        foreach (var (name, scale) in BitrateUnits)
        {
            if (unit.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                kbps = value * scale;
                return true;
            }
        }

        return false;
    }

    /// <summary>A duration; a bare number counts <paramref name="bareUnit"/>s. At most a day either way.</summary>
    public static bool TryParseDuration(string text, TimeSpan bareUnit, out TimeSpan duration)
    {
        duration = default;
        if (!TrySplit(text, out double value, out string unit))
        {
            return false;
        }

        double seconds = double.NaN;
        if (unit.Length == 0)
        {
            seconds = value * bareUnit.TotalSeconds;
        }
        else
        {
            foreach (var (name, scale) in DurationUnits)
            {
                if (unit.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    seconds = value * scale;
                    break;
                }
            }
        }

        if (double.IsNaN(seconds) || Math.Abs(seconds) > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>A duration in milliseconds, for the options named <c>--…-ms</c>: <c>20</c>, <c>20ms</c>, <c>0.02s</c>.</summary>
    public static bool TryParseMilliseconds(string text, out double milliseconds)
    {
        bool ok = TryParseDuration(text, TimeSpan.FromMilliseconds(1), out var duration);
        milliseconds = duration.TotalMilliseconds;
        return ok;
    }

    /// <summary>A duration in seconds: <c>3</c>, <c>3s</c>, <c>1.5m</c>, <c>500ms</c>.</summary>
    public static bool TryParseSeconds(string text, out double seconds)
    {
        bool ok = TryParseDuration(text, TimeSpan.FromSeconds(1), out var duration);
        seconds = duration.TotalSeconds;
        return ok;
    }

    /// <summary>A size in bytes: <c>4096</c>, <c>64k</c> / <c>64KiB</c> (65536), <c>64kB</c> (64000), <c>1M</c>, <c>1MiB</c>, <c>1.5MB</c>.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (!TrySplit(text, out double value, out string unit))
        {
            return false;
        }

        long scale = unit.Length == 0 ? 1 : 0;
        foreach (var (name, multiple) in SizeUnits)
        {
            if (unit.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                scale = multiple;
                break;
            }
        }

        double result = Math.Round(value * scale);
        if (scale == 0 || result > long.MaxValue / 2 || result < long.MinValue / 2)
        {
            return false;
        }

        bytes = (long)result;
        return true;
    }

    /// <summary>A plain decimal number: <c>20</c>, <c>2.5</c>, <c>-1</c>, <c>1e3</c>; no unit.</summary>
    public static bool TryParseNumber(string text, out double value)
        => TrySplit(text, out value, out string unit) && unit.Length == 0;

    /// <summary>A whole number in the range of int: <c>64</c>, <c>-1</c>.</summary>
    public static bool TryParseInteger(string text, out int value)
        => int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A percentage: <c>10</c> or <c>10%</c>, a whole number.</summary>
    public static bool TryParsePercent(string text, out int percent)
    {
        string trimmed = text.Trim();
        return TryParseInteger(trimmed.EndsWith('%') ? trimmed[..^1] : trimmed, out percent);
    }

    /// <summary>Splits "12.5 kbps" into 12.5 and "kbps"; false unless the number part is a finite decimal number.</summary>
    private static bool TrySplit(string text, out double value, out string unit)
    {
        value = 0;
        unit = string.Empty;
        var span = text.AsSpan().Trim();
        int end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] is '.' or '+' or '-'
            || (span[end] is 'e' or 'E' && end > 0 && end + 1 < span.Length && (char.IsAsciiDigit(span[end + 1]) || span[end + 1] is '+' or '-'))))
        {
            end++;
        }

        if (end == 0
            || !double.TryParse(span[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            || !double.IsFinite(value))
        {
            return false;
        }

        unit = span[end..].Trim().ToString();
        return true;
    }
}
