using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>
/// Tells the server how this player is doing, once a second right behind the clock ping (kind 10,
/// <see cref="ClientStatsMessage"/>, sent by <see cref="ClockSync.ClockPinger"/>): the server's status page shows each
/// listener's latency, buffer depth and underruns. Servers that predate it skip the frame.
/// </summary>
internal static class ClientStatsReporter
{
    internal static ClientStatsMessage Snapshot(ReceivedStream stream)
    {
        var stats = stream.Stats;
        var buffer = stream.Buffer;
        return new ClientStatsMessage(
            stats.Latency.Count == 0 ? 0 : (long)(stats.Latency.Percentile(50) * 1000),
            buffer is null ? 0 : (long)(buffer.DepthMilliseconds * 1000),
            buffer is null ? 0 : (long)(buffer.TargetMilliseconds * 1000),
            stats.Underruns,
            stats.Lost,
            stats.Late,
            stats.Packets);
    }
}
