namespace Streamer.Protocol.ClockSync;

/// <summary>
/// One NTP-style ping/pong exchange, the only place its arithmetic lives (the player's estimator and the probe both
/// use it): t0 = ping sent (our clock), t1 = ping received and t2 = pong sent (their clock), t3 = pong received (ours).
/// </summary>
public readonly record struct ClockSample(long T0, long T1, long T2, long T3)
{
    /// <summary>Round trip without the time the peer held the ping: (t3 - t0) - (t2 - t1), in µs.</summary>
    public long RoundTripMicroseconds => (T3 - T0) - (T2 - T1);

    /// <summary>Their clock minus ours, in µs: ((t1 - t0) + (t2 - t3)) / 2.</summary>
    public long OffsetMicroseconds => ((T1 - T0) + (T2 - T3)) / 2;

    /// <summary>False when the times cannot come from one real exchange (negative round trip or holding time).</summary>
    public bool IsConsistent => RoundTripMicroseconds >= 0 && T3 >= T0 && T2 >= T1;

    /// <summary>
    /// Reads a received pong frame into a sample, stamping t3 now (call it as soon as the frame is read). False for
    /// a frame that is not a pong or whose payload is malformed.
    /// </summary>
    public static bool TryRead(Frame frame, out ClockSample sample)
    {
        long t3 = WallClock.NowMicroseconds();
        sample = default;
        if (frame.Header.Kind != FrameKind.Pong)
        {
            return false;
        }

        PongMessage pong;
        try
        {
            pong = PongMessage.Read(frame.Payload);
        }
        catch (ProtocolException)
        {
            return false;
        }

        sample = new ClockSample(pong.PingSendTimeUs, pong.PingReceiveTimeUs, frame.Header.SendTimeUs, t3);
        return true;
    }
}
