using System.CommandLine;
using System.Globalization;
using Streamer.Audio.Codecs;

namespace Streamer.Cli.Commands;

/// <summary>The encoder options shared by the commands that send audio.</summary>
internal sealed class CodecArguments
{
    public Option<string> Codec { get; } = new("--codec", "-c")
    {
        Description = "Codec to send with: " + string.Join(", ", CodecRegistry.Default.Names),
        DefaultValueFactory = _ => PcmCodec.CodecName,
    };

    public Option<double> FrameMilliseconds { get; } = new("--frame-ms")
    {
        Description = "Audio per packet, in ms",
        DefaultValueFactory = _ => 20,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Codec);
        command.Options.Add(FrameMilliseconds);
    }

    /// <summary>Looks the codec up and gathers its options; unknown names and bad values are bad input.</summary>
    public (IAudioCodec Codec, CodecOptions Options) Build(ParseResult parse)
    {
        var codec = CodecRegistry.Default.Get(parse.GetValue(Codec)!);
        double frameMs = parse.GetValue(FrameMilliseconds);
        if (frameMs <= 0 || double.IsNaN(frameMs))
        {
            throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--frame-ms must be positive, not {frameMs}"));
        }

        return (codec, new CodecOptions { FrameMilliseconds = frameMs });
    }
}
