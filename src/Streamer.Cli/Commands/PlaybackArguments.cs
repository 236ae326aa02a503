using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Streamer.Media.Playout;

namespace Streamer.Cli.Commands;

/// <summary>The receiver options shared by <c>play</c> and <c>demo</c>: device choice and jitter buffer.</summary>
internal sealed class PlaybackArguments
{
    public Option<string?> Device { get; } = new("--device")
    {
        Description = "With --output device: the device's index or name (see 'streamer devices'); default: the system default",
    };

    public Option<double?> JitterMs { get; } = new("--jitter-ms")
    {
        Description = "Fixed jitter buffer target in ms (turns adaptive mode off; short for --jitter-strategy fixed:MS)",
    };

    public Option<string?> JitterStrategy { get; } = new("--jitter-strategy")
    {
        Description = $"Jitter buffer strategy: {TargetDelayPolicies.Usage} (default adaptive)",
        HelpName = "NAME",
    };

    public Option<double> MinJitterMs { get; } = new("--min-jitter-ms")
    {
        Description = "Adaptive jitter buffer: lowest target in ms",
        DefaultValueFactory = _ => new JitterBufferOptions().MinMilliseconds,
    };

    public Option<double> MaxJitterMs { get; } = new("--max-jitter-ms")
    {
        Description = "Adaptive jitter buffer: highest target in ms",
        DefaultValueFactory = _ => new JitterBufferOptions().MaxMilliseconds,
    };

    /// <summary>No audio for this long ends playback with exit 1; null (0 or "off") waits forever.</summary>
    public Option<TimeSpan?> StallTimeout { get; } = new("--stall-timeout")
    {
        Description = "Give up (exit 1, output finalized) when no audio arrives for this long, e.g. 10s, 500ms; 0 or 'off' waits forever",
        HelpName = "DURATION",
        DefaultValueFactory = _ => DefaultStallTimeout,
        CustomParser = ParseStallTimeout,
    };

    public static TimeSpan DefaultStallTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop after this long (exit 0, output finalized): for live streams that never end.</summary>
    public Option<TimeSpan?> Duration { get; } = new("--duration")
    {
        Description = "Stop after this long, e.g. 10s, 500ms, 5m (exit 0, output finalized): for live streams that never end",
        HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    /// <summary>paced-null's simulated sound card clock error.</summary>
    public Option<double> CardPpm { get; } = new("--card-ppm")
    {
        Description = "With --output paced-null: the simulated card's clock error in ppm (e.g. 300 plays 300 ppm fast, -300 slow), to test drift and sync without cards",
        HelpName = "PPM",
        CustomParser = OptionParsers.Number,
    };

    /// <summary>Where to log when each frame began to play.</summary>
    public Option<string?> PlayoutLog { get; } = new("--playout-log")
    {
        Description = "Write one CSV row per frame played: seq,timestamp,presented_server_us (when its first sample reached the output, on the server's clock); compare two listeners' logs to check sync",
        HelpName = "FILE.csv",
    };

    /// <summary>Synchronized playout (on by default) or the jitter buffer's own target.</summary>
    public Option<bool> NoSync { get; } = new("--no-sync")
    {
        Description = "Ignore the server's presentation times and play by the jitter buffer's target (as with an older server)",
    };

    /// <summary>The options only <c>play</c> has: stopping, synchronized playout and its log.</summary>
    public void AddPlayOnlyTo(Command command)
    {
        command.Options.Add(Duration);
        command.Options.Add(CardPpm);
        command.Options.Add(PlayoutLog);
        command.Options.Add(NoSync);
    }

    /// <summary>--card-ppm's value, checked against the output it applies to.</summary>
    public double BuildCardPpm(ParseResult parse, string output)
    {
        double ppm = parse.GetValue(CardPpm);
        if (ppm is < -10_000 or > 10_000 || double.IsNaN(ppm))
        {
            throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--card-ppm must be from -10000 to 10000, not {ppm}"));
        }

        if (ppm != 0 && output != OutputSelector.PacedNull)
        {
            throw new CliException(ExitCodes.BadInput, $"--card-ppm simulates a card's clock: it needs --output paced-null, not '{output}'");
        }

        return ppm;
    }

    /// <summary>--playout-log's path, checked: a clocked output, an existing directory.</summary>
    public string? BuildPlayoutLog(ParseResult parse, string output)
    {
        string? path = parse.GetValue(PlayoutLog);
        if (path is null)
        {
            return null;
        }

        if (!OutputSelector.IsClocked(output))
        {
            throw new CliException(ExitCodes.BadInput, $"--playout-log needs an output that plays in real time ('device' or 'paced-null'), not '{output}'");
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException(ExitCodes.BadInput, $"--playout-log '{path}': directory '{directory}' does not exist");
        }

        return path;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(StallTimeout);
        command.Options.Add(JitterMs);
        command.Options.Add(JitterStrategy);
        command.Options.Add(MinJitterMs);
        command.Options.Add(MaxJitterMs);
    }

    /// <summary>Builds the jitter buffer options; out-of-range values are bad input.</summary>
    public JitterBufferOptions BuildJitter(ParseResult parse)
    {
        double min = parse.GetValue(MinJitterMs);
        double max = parse.GetValue(MaxJitterMs);
        Check("--min-jitter-ms", min);
        Check("--max-jitter-ms", max);
        if (min > max)
        {
            throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--min-jitter-ms ({min}) is above --max-jitter-ms ({max})"));
        }

        string strategy = "adaptive";
        if (parse.GetValue(JitterMs) is { } fixedMs)
        {
            Check("--jitter-ms", fixedMs);
            strategy = TargetDelayPolicies.Fixed(fixedMs);
        }

        if (parse.GetValue(JitterStrategy) is { } named)
        {
            if (parse.GetValue(JitterMs) is not null)
            {
                throw new CliException(ExitCodes.BadInput, "--jitter-ms and --jitter-strategy both choose the strategy: give one");
            }

            strategy = named;
        }

        var options = new JitterBufferOptions { Strategy = strategy, MinMilliseconds = min, MaxMilliseconds = max };
        try
        {
            options.CreatePolicy();
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.BadInput, $"--jitter-strategy: {e.Message}");
        }

        return options;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!Quantities.TryParseDuration(text, TimeSpan.FromSeconds(1), out var duration) || duration <= TimeSpan.Zero)
        {
            result.AddError($"--duration: '{text}' is not a positive duration (say 10s, 500ms or 5m)");
            return null;
        }

        return duration;
    }

    private static TimeSpan? ParseStallTimeout(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (text.Trim().Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!Quantities.TryParseDuration(text, TimeSpan.FromSeconds(1), out var duration) || duration < TimeSpan.Zero)
        {
            result.AddError($"--stall-timeout: '{text}' is not a duration (say 10s, 500ms or 1m; 0 or off waits forever)");
            return null;
        }

        return duration == TimeSpan.Zero ? null : duration;
    }

    private static void Check(string name, double value)
    {
        if (value is < 0 or > 10_000 || double.IsNaN(value))
        {
            throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"{name} must be from 0 to 10000, not {value}"));
        }
    }
}
