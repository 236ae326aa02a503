using System.CommandLine;
using System.CommandLine.Parsing;
using Streamer.Media;
using Streamer.Media.Sources.Live;

namespace Streamer.Cli.Inputs;

/// <summary>
/// The options that say what <c>serve INPUT</c> reads: <c>--input</c> (instead of the argument), the raw PCM layout
/// (<c>--format</c>, <c>--rate</c>, <c>--channels</c>), <c>--fifo-gap</c>, <c>--device</c> and the tone's
/// <c>--seconds</c>. Add them to a command with <see cref="AddTo"/>, then <see cref="InputSelector.Select"/>.
/// </summary>
internal sealed class InputArguments
{
    public Option<string?> Input { get; } = new("--input", "-i")
    {
        Description = "What to stream, instead of the INPUT argument: a WAV file, '-' (stdin), a FIFO path, 'device' or 'tone'",
        HelpName = "INPUT",
    };

    public Option<SampleEncoding?> Format { get; } = new("--format")
    {
        Description = "The input is raw PCM in this layout, not WAV: s16le, s24le, s32le or f32le (for '-', a FIFO or a file); for 'device', the capture layout (default s16le)",
        HelpName = "s16le|s24le|s32le|f32le",
        CustomParser = ParseEncoding,
    };

    public Option<int> Rate { get; } = new("--rate")
    {
        Description = "Sample rate of raw PCM or capture, Hz",
        HelpName = "HZ",
        DefaultValueFactory = _ => 48000,
        CustomParser = OptionParsers.IntegerFrom(8000, 384000),
    };

    public Option<int> Channels { get; } = new("--channels")
    {
        Description = "Channels of raw PCM or capture",
        HelpName = "N",
        DefaultValueFactory = _ => 2,
        CustomParser = OptionParsers.IntegerFrom(1, 64),
    };

    public Option<FifoGap> FifoGap { get; } = new("--fifo-gap")
    {
        Description = "What a FIFO input sends while no writer has it open: silence (default: listeners keep playing, in sync) or nothing (the stream stalls until a writer returns)",
        HelpName = "silence|nothing",
        DefaultValueFactory = _ => Media.Sources.Live.FifoGap.Silence,
        CustomParser = ParseGap,
    };

    public Option<string?> Device { get; } = new("--device", "-d")
    {
        Description = "Capture device for 'device': an index or (part of) a name; default: the system's default input",
        HelpName = "NAME|INDEX",
    };

    public Option<double?> Seconds { get; } = new("--seconds")
    {
        Description = "Length of 'tone' (default: endless): 3, 3s, 500ms or 1.5m",
        HelpName = "DURATION",
        CustomParser = ParseSeconds,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Input);
        command.Options.Add(Format);
        command.Options.Add(Rate);
        command.Options.Add(Channels);
        command.Options.Add(FifoGap);
        command.Options.Add(Device);
        command.Options.Add(Seconds);
    }

    private static SampleEncoding? ParseEncoding(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (SampleEncodingInfo.TryParseWireName(text.ToLowerInvariant(), out var encoding) && encoding is SampleEncoding.Int16 or SampleEncoding.Int24 or SampleEncoding.Int32 or SampleEncoding.Float32)
        {
            return encoding;
        }

        result.AddError($"--format: '{text}' is not a raw PCM layout (say s16le, s24le, s32le or f32le)");
        return null;
    }

    private static FifoGap ParseGap(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        switch (text.ToLowerInvariant())
        {
            case "silence":
                return Media.Sources.Live.FifoGap.Silence;
            case "nothing":
                return Media.Sources.Live.FifoGap.Nothing;
            default:
                result.AddError($"--fifo-gap: '{text}' is not a gap mode (say silence or nothing)");
                return default;
        }
    }

    private static double? ParseSeconds(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Quantities.TryParseSeconds(text, out double seconds) && seconds > 0)
        {
            return seconds;
        }

        result.AddError($"--seconds: '{text}' is not a positive duration (say 3, 3s, 500ms or 1.5m)");
        return null;
    }
}
