using Streamer.Protocol;
using Streamer.Protocol.ClockSync;

namespace Streamer.Streaming.ClockSync;

/// <summary>
/// Pings the server so the client can map the sender's timestamps onto its own clock (NTP style, see
/// <see cref="PongMessage"/>): a burst of 50 at the start, 10 ms apart (Snapcast's 50 quick ones), so the median
/// filter of <see cref="ClockOffsetEstimator"/> has a good estimate within half a second, before synchronized
/// playout starts (a stream latency of 150 ms sees ~15 of them), then one a second to follow drift.
/// </summary>
internal static class ClockPinger
{
    /// <summary>Pings in the burst at connect.</summary>
    public const int QuickPings = 50;

    // 10 ms apart, not back to back: a ping queued behind its predecessor measures the queue, not the path.
    private static readonly TimeSpan QuickInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <param name="sender">Where the pings go.</param>
    /// <param name="report">After the quick burst, a message sent right behind each ping (the player's stats): one
    /// send a second, not two, so a server that vanishes finds no more unread input than before.</param>
    /// <param name="cancellationToken">Stops the pings.</param>
    public static async Task RunAsync(FrameSender sender, CancellationToken cancellationToken, Func<IControlMessage>? report = null)
    {
        try
        {
            for (int i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                if (!await sender.SendEmptyAsync(FrameKind.Ping, cancellationToken))
                {
                    return;
                }

                if (report is not null && i >= QuickPings && !await sender.SendAsync(report(), cancellationToken))
                {
                    return;
                }

                await Task.Delay(i < QuickPings ? QuickInterval : Interval, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream ended or the connection went away: the receive loop reports that.
        }
    }

    /// <summary>Feeds a received pong (t0 and t1 inside, t2 its send time, t3 now) to the estimator.</summary>
    public static void Accept(Frame frame, ClockOffsetEstimator estimator)
    {
        if (ClockSample.TryRead(frame, out var sample))
        {
            estimator.Add(sample);
        }
    }
}
