namespace Streamer.Media.Playout;

/// <summary>
/// The jitter buffer's statistics: remembers when each frame was sent (a ring of <see cref="FrameTiming"/> beside
/// the audio) so that, when its first sample plays, the send-to-playout latency goes into
/// <see cref="PlaybackStats.Latency"/>; counts played samples, late drops and underruns. The producer records
/// arrivals, the consumer the rest; nothing allocates.
/// </summary>
internal sealed class PlayoutAccounting
{
    private readonly TimingRing _timings = new(4096);
    private readonly PlaybackStats _stats;
    private readonly IPlaybackClock _clock;

    public PlayoutAccounting(PlaybackStats stats, IPlaybackClock clock)
    {
        _stats = stats;
        _clock = clock;
    }

    /// <summary>Producer: a frame starting at ring position <paramref name="startPosition"/> arrived.</summary>
    public void Arrived(long startPosition, long sendTimeUs, long arrivalUs)
        => _timings.TryAdd(new FrameTiming(startPosition, sendTimeUs, arrivalUs));

    /// <summary>Consumer: <paramref name="sampleFrames"/> played; the ring has been read up to <paramref name="readPosition"/>.</summary>
    public void Played(int sampleFrames, long readPosition)
    {
        _stats.AddPlayed(sampleFrames);
        long now = _clock.NowMicroseconds() + _stats.ClockOffset.OffsetMicroseconds;
        while (_timings.TryTakeBefore(readPosition, out var timing))
        {
            _stats.Latency.Record(now - timing.SendTimeUs);
            PlayoutMetrics.Latency.Record((now - timing.SendTimeUs) / 1e6);
        }
    }

    /// <summary>Consumer: audio up to <paramref name="readPosition"/> was dropped as late; each frame starting there counts.</summary>
    public void DroppedLate(long readPosition)
    {
        while (_timings.TryTakeBefore(readPosition, out _))
        {
            _stats.AddLate();
        }
    }

    /// <summary>Consumer: the buffer ran dry while playing.</summary>
    public void Underrun() => _stats.AddUnderrun();
}
