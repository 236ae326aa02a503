using Microsoft.Extensions.Logging;
using Streamer.Codecs.Opus;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Streaming.Receive;

namespace Streamer.Cli;

/// <summary>Turns the <c>--output</c> text into an output: <c>device</c>, <c>null</c>, <c>paced-null</c>, <c>-</c> (raw PCM to stdout) or a file path.</summary>
internal static class OutputSelector
{
    public const string Device = "device";
    public const string Null = "null";
    public const string PacedNull = "paced-null";
    public const string StandardOutput = "-";

    /// <summary>Checks the choice before connecting, so a bad one fails fast.</summary>
    public static void Validate(string spec)
    {
        if (spec is Device)
        {
            string? missing = DeviceOutputSupport.Missing();
            if (missing is not null)
            {
                throw new CliException(ExitCodes.Failure, missing);
            }

            return;
        }

        if (spec is Null or PacedNull or StandardOutput)
        {
            return;
        }

        if (!spec.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && !IsOggOpus(spec))
        {
            throw new CliException(ExitCodes.BadInput, $"--output '{spec}': use a .wav or .opus file, 'device', 'null', 'paced-null' or '-'");
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(spec));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException(ExitCodes.BadInput, $"--output '{spec}': directory '{directory}' does not exist");
        }
    }

    /// <summary>
    /// Builds the receiver's sink chain for <paramref name="spec"/> once the stream is announced. An output is one
    /// line here: a clocked one (it pulls from a jitter buffer) or an unclocked one (written as packets are decoded)
    /// goes behind the decoder; a sink that wants the packets (a <c>.opus</c> recording) is the chain itself, so
    /// nothing is decoded.
    /// </summary>
    /// <remarks><paramref name="cardPpm"/> is paced-null's simulated clock error; <paramref name="log"/> (clocked
    /// outputs only) is told when each frame begins to play.</remarks>
    public static IPacketSink CreateSink(string spec, string? device, JitterBufferOptions jitter, ReceiveContext context, ILogger logger, double cardPpm = 0, IPlayoutLog? log = null) => spec switch
    {
        Device => context.Decode(format => DeviceOutputSupport.Create(device, SmallestTarget(jitter), format, logger), jitter, log),
        Null => context.Decode(new NullOutput()),
        PacedNull => context.Decode(_ => new PacedNullOutput(DeviceBlockMilliseconds(SmallestTarget(jitter)), cardPpm), jitter, log),
        StandardOutput => context.Decode(new RawPcmOutput(OpenStandardOutput())),
        _ when IsOggOpus(spec) => context.Packets(new OggOpusOutput(spec, context.Info, context.Stream.Stats), spec),
        _ => context.Decode(new WavFileOutput(spec)),
    };

    /// <summary>Whether <paramref name="spec"/> is an output with its own clock (it plays, so it has a playout log).</summary>
    public static bool IsClocked(string spec) => spec is Device or PacedNull;

    /// <summary>The smallest jitter target in use: device blocks are a quarter of it.</summary>
    public static double SmallestTarget(JitterBufferOptions jitter)
        => jitter.SmallestTargetMilliseconds;

    /// <summary>Device blocks are a quarter of the smallest jitter target, 2.5–10 ms: the buffer needs half a block of headroom.</summary>
    public static double DeviceBlockMilliseconds(double smallestTargetMs) => Math.Clamp(smallestTargetMs / 4, 2.5, 10);

    /// <summary>
    /// Console's stdout stream ignores a closed pipe (EPIPE), so <c>play -o - | head -c N</c> would stream on to
    /// nobody until the end. A file stream on descriptor 1 reports it as an error, which ends play with one line.
    /// </summary>
    private static Stream OpenStandardOutput()
        => OperatingSystem.IsWindows()
            ? Console.OpenStandardOutput()
            : new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    /// <summary>A .opus path records the received Opus packets as they are (Opus streams only).</summary>
    private static bool IsOggOpus(string spec) => spec.EndsWith(".opus", StringComparison.OrdinalIgnoreCase);
}
