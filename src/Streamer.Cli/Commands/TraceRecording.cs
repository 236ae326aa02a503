using System.CommandLine;
using Streamer.Bench.Trace;
using Streamer.Media.Outputs;
using Streamer.Streaming.Receive;

namespace Streamer.Cli.Commands;

/// <summary><c>play --record-trace FILE</c>: the option and the sink it puts at the head of the chain.</summary>
internal static class TraceRecording
{
    public static Option<string?> CreateOption() => new("--record-trace")
    {
        Description = "Write every frame's arrival (local monotonic µs), sequence, media timestamp and size to FILE, for 'streamer bench replay'",
        HelpName = "FILE",
    };

    /// <summary><paramref name="chain"/> itself without a trace, else the recorder in front of it.</summary>
    public static IPacketSink Wrap(string? path, IPacketSink chain, ReceiveContext context)
    {
        if (path is null)
        {
            return chain;
        }

        try
        {
            var info = context.Info;
            return TraceRecordingSink.Create(path, chain, info.Codec, info.SampleRate, info.Channels, info.FrameSamples);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            chain.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new CliException(ExitCodes.BadInput, $"--record-trace '{path}': {ex.Message}");
        }
    }
}
