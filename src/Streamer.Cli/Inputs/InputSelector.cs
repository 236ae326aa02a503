using System.CommandLine;
using Streamer.Media;
using Streamer.Media.Sources.Live;

namespace Streamer.Cli.Inputs;

/// <summary>
/// Turns <c>serve INPUT</c> (or <c>--input</c>) into an <see cref="InputSpec"/>: <c>-</c> is standard input,
/// <c>device</c> a capture device, <c>tone</c> the test signal, a FIFO path a named pipe, anything else a file
/// (<c>./tone</c> for a file of that name). Checks what can be checked before listening; bad choices are one line.
/// </summary>
internal static class InputSelector
{
    public const string StandardInput = "-";
    public const string Device = "device";
    public const string Tone = "tone";

    /// <summary>
    /// The input named by <c>--input</c>, else by <paramref name="argument"/>. Throws <see cref="CliException"/>
    /// (exit 2) for a path that does not exist, a directory, or options that do not fit the input.
    /// </summary>
    public static InputSpec Select(ParseResult parse, InputArguments arguments, string? argument)
    {
        string input = parse.GetValue(arguments.Input) ?? argument
            ?? throw new CliException(ExitCodes.BadInput, "no input: give a WAV file, '-', a FIFO path, 'device' or 'tone'");
        var encoding = parse.GetValue(arguments.Format);
        int rate = parse.GetValue(arguments.Rate);
        int channels = parse.GetValue(arguments.Channels);
        AudioFormat? raw = encoding is { } e ? new AudioFormat(rate, channels, e) : null;
        var capture = new AudioFormat(rate, channels, encoding ?? SampleEncoding.Int16);
        var gap = parse.GetValue(arguments.FifoGap);
        string? device = parse.GetValue(arguments.Device);
        double? seconds = parse.GetValue(arguments.Seconds);

        var kind = Classify(input);
        string name = kind switch
        {
            InputKind.StandardInput => "stdin",
            InputKind.Device => "device",
            InputKind.Tone => "tone",
            _ => input,
        };
        if (seconds is not null && kind != InputKind.Tone)
        {
            throw new CliException(ExitCodes.BadInput, $"--seconds is for 'tone', not {name}");
        }

        if (device is not null && kind != InputKind.Device)
        {
            throw new CliException(ExitCodes.BadInput, $"--device is for 'device', not {name}");
        }

        if (raw is not null && kind == InputKind.Tone)
        {
            throw new CliException(ExitCodes.BadInput, "--format is not for 'tone' (it is 48000 Hz, 2 ch, s16le)");
        }

        return new InputSpec(kind, name, kind is InputKind.File or InputKind.Fifo ? input : null, raw, gap, device, capture, seconds);
    }

    private static InputKind Classify(string input)
    {
        switch (input)
        {
            case StandardInput:
                return InputKind.StandardInput;
            case Device:
                return InputKind.Device;
            case Tone:
                return InputKind.Tone;
        }

        if (NamedPipe.IsFifo(input))
        {
            return InputKind.Fifo;
        }

        if (Directory.Exists(input))
        {
            throw new CliException(ExitCodes.BadInput, $"{input}: is a directory, not a WAV file or FIFO");
        }

        if (!File.Exists(input))
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(input));
            throw new CliException(ExitCodes.BadInput, directory is not null && !Directory.Exists(directory)
                ? $"{input}: no such directory (for a FIFO, create it first: mkfifo {input})"
                : $"{input}: no such file or FIFO (for a FIFO, create it first: mkfifo {input})");
        }

        return InputKind.File;
    }
}
