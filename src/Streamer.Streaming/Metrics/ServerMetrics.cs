using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Streamer.Streaming.Metrics;

/// <summary>
/// The audio server's instruments (meter <c>Streamer.Server</c>; docs/metrics.md lists them). Process-wide: every
/// server in the process counts into the same instruments. The hot-path ones are tagless counters and a tagless
/// histogram, whose Add and Record allocate nothing (and cost a branch while no one listens).
/// </summary>
internal static class ServerMetrics
{
    /// <summary>The meter's name, for dotnet-counters and OpenTelemetry.</summary>
    public const string MeterName = "Streamer.Server";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Connections accepted (before their hello).</summary>
    public static readonly Counter<long> Connections = Meter.CreateCounter<long>("streamer.server.connections", "{connection}", "Connections accepted by the audio server, before their hello");

    /// <summary>Clients streaming audio now.</summary>
    public static readonly UpDownCounter<long> ActiveListeners = Meter.CreateUpDownCounter<long>("streamer.server.active_listeners", "{listener}", "Clients being sent audio now");

    /// <summary>Audio frames sent.</summary>
    public static readonly Counter<long> FramesSent = Meter.CreateCounter<long>("streamer.server.frames.sent", "{frame}", "Audio frames sent to clients");

    /// <summary>Audio payload bytes sent.</summary>
    public static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("streamer.server.bytes.sent", "By", "Audio payload bytes sent to clients (frame headers excluded)");

    /// <summary>Frames skipped because a listener could not keep up.</summary>
    public static readonly Counter<long> FramesSkipped = Meter.CreateCounter<long>("streamer.server.frames.skipped", "{frame}", "Audio frames skipped for listeners that fell behind the live edge");

    /// <summary>Time to encode one frame.</summary>
    public static readonly Histogram<double> EncodeDuration = Meter.CreateHistogram<double>("streamer.server.encode.duration", "s", "Time the encoder took per audio frame");

    /// <summary>Records the encode that began at the <see cref="Stopwatch"/> timestamp <paramref name="started"/>.</summary>
    public static void Encoded(long started)
    {
        if (EncodeDuration.Enabled)
        {
            EncodeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
