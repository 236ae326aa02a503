namespace Streamer.Protocol.ClockSync;

/// <summary>
/// NTP-style clock offset from ping/pong exchanges (<see cref="ClockSample"/> does the arithmetic). Queueing delays
/// make single samples noisy and biased (a delay on one leg shifts the offset by half of it), so the estimate is the
/// median offset of the quarter of the last <see cref="Window"/> exchanges with the shortest round trips: the
/// minimum-RTT filter of NTP, made robust by a median as Snapcast does (the median of its last 200). With a burst
/// of pings at connect (<c>ClockPinger</c>) it settles in the first half second. Adding is O(window log window)
/// but allocates nothing, and it runs once per pong.
/// </summary>
public sealed class ClockOffsetEstimator
{
    /// <summary>Exchanges remembered. 100 at one a second follows a drifting peer clock with ~25 s of lag (a
    /// 50 ppm drift: ~1 ms); longer would be steadier but lag more.</summary>
    public const int Window = 100;

    private readonly long[] _offsets = new long[Window];
    private readonly long[] _roundTrips = new long[Window];
    private readonly long[] _sortedTrips = new long[Window];
    private readonly long[] _sortedOffsets = new long[Window];
    private readonly Lock _lock = new();
    private int _count;
    private int _next;
    private long _total;
    private long _offsetUs;
    private long _roundTripUs = -1;

    /// <summary>Their clock minus ours, in µs (0 until the first exchange).</summary>
    public long OffsetMicroseconds => Volatile.Read(ref _offsetUs);

    /// <summary>The median round trip of the exchanges the offset comes from, in µs; -1 before the first exchange.</summary>
    public long RoundTripMicroseconds => Volatile.Read(ref _roundTripUs);

    /// <summary>Exchanges accepted so far.</summary>
    public long Samples => Volatile.Read(ref _total);

    /// <summary>Adds one exchange; returns false (and ignores it) when the times are inconsistent.</summary>
    public bool Add(long t0, long t1, long t2, long t3) => Add(new ClockSample(t0, t1, t2, t3));

    /// <summary>Adds one exchange; returns false (and ignores it) when its times are inconsistent.</summary>
    public bool Add(in ClockSample sample)
    {
        if (!sample.IsConsistent)
        {
            return false;
        }

        lock (_lock)
        {
            _offsets[_next] = sample.OffsetMicroseconds;
            _roundTrips[_next] = sample.RoundTripMicroseconds;
            _next = (_next + 1) % Window;
            _count = Math.Min(_count + 1, Window);
            Estimate();
        }

        Interlocked.Increment(ref _total);
        return true;
    }

    private void Estimate()
    {
        int count = _count;
        var trips = _sortedTrips.AsSpan(0, count);
        var offsets = _sortedOffsets.AsSpan(0, count);
        _roundTrips.AsSpan(0, count).CopyTo(trips);
        _offsets.AsSpan(0, count).CopyTo(offsets);
        trips.Sort(offsets);
        int best = Math.Max(1, count / 4);
        long roundTrip = trips[best / 2];
        var kept = offsets[..best];
        kept.Sort();
        long offset = best % 2 == 1 ? kept[best / 2] : (kept[(best / 2) - 1] + kept[best / 2]) / 2;
        Volatile.Write(ref _offsetUs, offset);
        Volatile.Write(ref _roundTripUs, roundTrip);
    }
}
