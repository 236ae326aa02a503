namespace Streamer.Bench.Listeners;

/// <summary>
/// One listener's view of its stream, frame by frame: sequence continuity and lateness against the stream's own
/// media clock. Pure arithmetic on the times it is given (tests feed it a simulated clock).
/// </summary>
/// <remarks>
/// Lateness of a frame = its arrival − its scheduled arrival, where the schedule is the frame's media time (its
/// timestamp in samples over the sample rate, or an Ogg page's granule position) shifted by the earliest offset
/// seen so far on this connection: <c>anchor = min(arrival − media time)</c> over the frames before it and itself.
/// A stream paced exactly on its clock scores 0 for every frame; a server that falls behind, or holds frames and
/// sends them in a clump, scores the time the listener waited beyond the schedule. A burst at connect (frames
/// older than the live edge, all at once) scores 0, because the anchor only moves earlier: the newest frame of the
/// burst sets it, and later frames are measured against it.
/// </remarks>
internal struct ArrivalTracker
{
    private bool _any;
    private long _nextSequence;
    private long _anchorUs;

    /// <summary>Frames that never came: the sum of the gaps between consecutive sequence numbers.</summary>
    public long Skipped { get; private set; }

    /// <summary>Frames that came with a sequence number at or before one already seen (a server bug, or a restart).</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>
    /// Takes one frame: its sequence number, its media time in microseconds, and when it arrived (microseconds on
    /// any steady clock). Returns its lateness in microseconds (≥ 0) and adds any gap before it to <see cref="Skipped"/>
    /// (only when <paramref name="countGaps"/>: frames before the measurement window set the position, not the tally).
    /// </summary>
    public long Accept(long sequence, long mediaUs, long arrivalUs, bool countGaps = true)
    {
        long offset = arrivalUs - mediaUs;
        if (!_any)
        {
            _any = true;
            _anchorUs = offset;
        }
        else if (sequence > _nextSequence)
        {
            if (countGaps)
            {
                Skipped += sequence - _nextSequence;
            }
        }
        else if (sequence < _nextSequence)
        {
            if (countGaps)
            {
                OutOfOrder++;
            }

            // Keep the position: a late duplicate must not make the next in-order frame look like a gap.
            return 0;
        }

        _nextSequence = sequence + 1;
        if (offset < _anchorUs)
        {
            _anchorUs = offset;
        }

        return offset - _anchorUs;
    }

    /// <summary>
    /// Starts afresh at the next frame (a new stream on the same connection, e.g. an Ogg chain's next serial):
    /// its first sequence number is no gap, its media clock no lateness.
    /// </summary>
    public void Restart() => _any = false;
}
