namespace Streamer.Protocol.ClockSync;

/// <summary>
/// The one ping answerer: every side that receives a ping (the audio server's sessions, the chat server, the player)
/// answers with the pong this makes, so t0 and t1 are stamped the same way everywhere (see <see cref="ClockSample"/>).
/// </summary>
public static class PingAnswer
{
    /// <summary>The pong for <paramref name="ping"/>: its send time (t0) and now (t1); the pong's own header carries t2.</summary>
    public static PongMessage For(in FrameHeader ping) => new(ping.SendTimeUs, WallClock.NowMicroseconds());

    /// <summary>Answers <paramref name="ping"/> on <paramref name="sender"/>; false when the connection has gone.</summary>
    public static ValueTask<bool> SendAsync(FrameSender sender, in FrameHeader ping, CancellationToken cancellationToken)
        => sender.SendAsync(For(ping), cancellationToken);
}
