using System.CommandLine;
using System.Globalization;
using Streamer.Media.Codecs;
using Streamer.Streaming;

namespace Streamer.Cli.Commands;

/// <summary>The encoder options shared by the commands that send audio.</summary>
internal sealed class CodecArguments
{
    /// <summary>What <c>--help</c> says about <c>--bitrate</c> wherever it is taken (serve, demo, bench codecs).</summary>
    public const string BitrateHelp = "Target bitrate, as " + Quantities.BitrateSpellings + ": a bare number of 6000 or more is bit/s, below that kbit/s";

    public Option<string> Codec { get; } = new("--codec", "-c")
    {
        Description = "Codec to send with: " + string.Join(", ", CodecRegistry.Default.Names),
        DefaultValueFactory = _ => PcmCodec.CodecName,
    };

    public Option<double> FrameMilliseconds { get; } = new("--frame-ms")
    {
        Description = "Audio per packet: 20, 20ms or 0.02s, a bare number is ms (opus: 2.5, 5, 10, 20, 40 or 60 ms)",
        HelpName = "MS",
        DefaultValueFactory = _ => 20,
        CustomParser = OptionParsers.Milliseconds,
    };

    public Option<double?> Bitrate { get; } = new("--bitrate")
    {
        Description = BitrateHelp + ". Opus: 6k to 510k, default 64k; ulaw/alaw: fixed 64k a channel",
        HelpName = "RATE",
        CustomParser = OptionParsers.Bitrate,
    };

    public Option<int?> Complexity { get; } = new("--complexity")
    {
        Description = "Opus encoder effort, 0 (fastest) to 10 (best, default)",
        HelpName = "0-10",
        CustomParser = OptionParsers.IntegerOrNone,
    };

    public Option<string?> Application { get; } = new("--application")
    {
        Description = "Opus tuning: audio (default, music), voip (speech) or lowdelay (no speech mode, 5 ms less delay)",
    };

    public Option<bool> Vbr { get; } = new("--vbr") { Description = "Opus variable bitrate (the default)" };

    public Option<bool> Cbr { get; } = new("--cbr") { Description = "Opus constant bitrate: every packet the same size" };

    public Option<bool> Fec { get; } = new("--fec")
    {
        Description = "Opus in-band forward error correction: a lost packet is rebuilt from the next (speech modes, below ~40 kbit/s)",
    };

    public Option<int?> ExpectedLoss { get; } = new("--expected-loss")
    {
        Description = "Packet loss in percent the Opus encoder plans for, 0 to 100: 10 or 10% (default 10 with --fec, else 0)",
        HelpName = "PERCENT",
        CustomParser = OptionParsers.Percent,
    };

    public Option<bool> Dtx { get; } = new("--dtx") { Description = "Opus discontinuous transmission: tiny packets during silence (speech modes)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Codec);
        command.Options.Add(FrameMilliseconds);
        command.Options.Add(Bitrate);
        command.Options.Add(Complexity);
        command.Options.Add(Application);
        command.Options.Add(Vbr);
        command.Options.Add(Cbr);
        command.Options.Add(Fec);
        command.Options.Add(ExpectedLoss);
        command.Options.Add(Dtx);
    }

    /// <summary>Looks the codec up and gathers its options; unknown names and bad values are bad input.</summary>
    public (IAudioCodec Codec, CodecOptions Options) Build(ParseResult parse)
    {
        var codec = CodecRegistry.Default.Get(parse.GetValue(Codec)!);
        return (codec, BuildOptions(parse));
    }

    /// <summary>The options alone, for commands that try several codecs with the same settings.</summary>
    public CodecOptions BuildOptions(ParseResult parse, double? bitrateKbps = null)
    {
        double frameMs = parse.GetValue(FrameMilliseconds);
        if (frameMs <= 0 || double.IsNaN(frameMs))
        {
            throw new CliException(ExitCodes.BadInput, Invariant($"--frame-ms must be positive, not {frameMs}"));
        }

        double? kbps = bitrateKbps ?? parse.GetValue(Bitrate);
        if (kbps is { } rate && (double.IsNaN(rate) || rate <= 0 || rate > 100_000))
        {
            throw new CliException(ExitCodes.BadInput, Invariant($"--bitrate must be a positive number of kbit/s, not {rate}"));
        }

        if (parse.GetValue(Vbr) && parse.GetValue(Cbr))
        {
            throw new CliException(ExitCodes.BadInput, "--vbr and --cbr exclude each other: pick one");
        }

        string? applicationName = parse.GetValue(Application);
        CodecApplication? application = null;
        if (applicationName is not null)
        {
            application = CodecOptions.TryParseApplication(applicationName, out var parsed)
                ? parsed
                : throw new CliException(ExitCodes.BadInput, $"--application must be audio, voip or lowdelay, not '{applicationName}'");
        }

        var options = new CodecOptions
        {
            FrameMilliseconds = frameMs,
            Bitrate = kbps is { } k ? (int)Math.Round(k * 1000) : null,
            Complexity = parse.GetValue(Complexity),
            Application = application,
            Vbr = parse.GetValue(Cbr) ? false : null,
            Fec = parse.GetValue(Fec),
            ExpectedLossPercent = parse.GetValue(ExpectedLoss),
            Dtx = parse.GetValue(Dtx),
        };
        try
        {
            // The ranges are checked in one place, CodecOptions; its messages use the options' own names.
            return options.Validate();
        }
        catch (CodecException ex)
        {
            throw new CliException(ExitCodes.BadInput, "--" + ex.Message);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
