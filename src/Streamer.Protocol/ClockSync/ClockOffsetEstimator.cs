namespace Streamer.Protocol.ClockSync;

/// <summary>
/// NTP-style clock offset from ping/pong exchanges (<see cref="ClockSample"/> does the arithmetic). Queueing delays make single samples noisy and biased, so like NTP's clock
/// filter it keeps the last few samples and trusts the one with the shortest round trip.
/// </summary>
public sealed class ClockOffsetEstimator
{
    private const int Window = 16;

    private readonly long[] _offsets = new long[Window];
    private readonly long[] _roundTrips = new long[Window];
    private int _count;
    private int _next;
    private long _offsetUs;
    private long _roundTripUs = -1;

    /// <summary>Their clock minus ours, in µs (0 until the first exchange).</summary>
    public long OffsetMicroseconds => Volatile.Read(ref _offsetUs);

    /// <summary>The round trip of the sample the offset comes from, in µs; -1 before the first exchange.</summary>
    public long RoundTripMicroseconds => Volatile.Read(ref _roundTripUs);

    /// <summary>Exchanges accepted so far.</summary>
    public long Samples => Volatile.Read(ref _count);

    /// <summary>Adds one exchange; returns false (and ignores it) when the times are inconsistent.</summary>
    public bool Add(long t0, long t1, long t2, long t3) => Add(new ClockSample(t0, t1, t2, t3));

    /// <summary>Adds one exchange; returns false (and ignores it) when its times are inconsistent.</summary>
    public bool Add(in ClockSample sample)
    {
        if (!sample.IsConsistent)
        {
            return false;
        }

        long roundTrip = sample.RoundTripMicroseconds;
        _offsets[_next] = sample.OffsetMicroseconds;
        _roundTrips[_next] = roundTrip;
        _next = (_next + 1) % Window;
        int count = Math.Min(_count + 1, Window);
        int best = 0;
        for (int i = 1; i < count; i++)
        {
            if (_roundTrips[i] < _roundTrips[best])
            {
                best = i;
            }
        }

        Volatile.Write(ref _offsetUs, _offsets[best]);
        Volatile.Write(ref _roundTripUs, _roundTrips[best]);
        Volatile.Write(ref _count, count);
        return true;
    }
}
