using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>
/// Tells the server how this player is doing, once a second (kind 10, <see cref="ClientStatsMessage"/>): the server's
/// status page shows each listener's latency, buffer depth and underruns. Servers that predate it skip the frame.
/// </summary>
internal static class ClientStatsReporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(FrameSender sender, ReceivedStream stream, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, cancellationToken);
                if (!await sender.SendAsync(Snapshot(stream), cancellationToken))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream ended or the connection went away: the receive loop reports that.
        }
    }

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
