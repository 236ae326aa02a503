using Streamer.Protocol.ClockSync;

namespace Streamer.Media.Playout;

/// <summary>
/// Synchronized playout: plays each sample at its presentation time (the sender's clock, mapped through the clock
/// offset estimate), for streams whose frames carry one. The output says when the block it asks for will reach the
/// listener (its clock plus its latency); playout starts with exactly the silence, or drops exactly the late audio,
/// that puts the next sample on its time, then a <see cref="SyncController"/> holds it there against the card's drift
/// with spread single-sample slips. Only an error past <see cref="ResyncMicroseconds"/> (an underrun, a jump in the
/// clock offset) places playout again at once. Each frame's first sample, as it plays, goes to the playout log.
/// Producer: the receive loop (<see cref="Arrived"/>); consumer: the output's thread; nothing allocates or blocks.
/// </summary>
internal sealed class PresentationScheduler
{
    /// <summary>An error this large is not slewed away (at 0.1 % that would take seconds) but corrected at once.</summary>
    public const long ResyncMicroseconds = 5_000;

    /// <summary>
    /// Clock-offset exchanges playout waits for before it is first placed. The first pongs of a joining listener
    /// queue behind its burst of recent audio (and a receive path still compiling), so an estimate from one or two
    /// is off by up to a millisecond or more; placed on it, playout would then be slewed at 0.1 % for seconds while
    /// the estimate settles (measured: that start-up transient was the whole p99 of two listeners, docs/performance.md).
    /// From eight, the minimum-round-trip filter has clean exchanges to choose: 80 ms of ClockPinger's quick burst.
    /// </summary>
    public const int ExchangesBeforePlacing = 8;

    private readonly PlayoutRing _ring;
    private readonly PlayoutAccounting _accounting;
    private readonly ClockOffsetEstimator _offset;
    private readonly IPlayoutLog? _log;
    private readonly PresentationMarks _marks = new(8192);
    private readonly SyncController _controller;
    private readonly AudioFormat _format;
    private readonly int _blockAlign;
    private readonly double _microsecondsPerFrame;
    private volatile bool _active;
    private bool _playing;
    private bool _hasAnchor;
    private long _anchorPosition;
    private long _anchorTimeUs;
    private long _lastLateUs;
    private long _resyncs;

    public PresentationScheduler(AudioFormat format, PlayoutRing ring, PlayoutAccounting accounting, ClockOffsetEstimator offset, IPlayoutLog? log)
    {
        _format = format;
        _ring = ring;
        _accounting = accounting;
        _offset = offset;
        _log = log;
        _blockAlign = format.BlockAlign;
        _microsecondsPerFrame = 1e6 / format.SampleRate;
        _controller = new SyncController(format.SampleRate);
    }

    /// <summary>True once a frame with a presentation time arrived: from then on playout follows presentation times.</summary>
    public bool Active => _active;

    /// <summary>The output's clock error against the sender's as the controller learned it, in ppm.</summary>
    public double DriftPpm => _controller.DriftPpm;

    /// <summary>How late the latest block's first sample was against its presentation time, in µs (negative: early).</summary>
    public long LateMicroseconds => Volatile.Read(ref _lastLateUs);

    /// <summary>Times playout was placed on its schedule again after an error past <see cref="ResyncMicroseconds"/>.</summary>
    public long Resyncs => Volatile.Read(ref _resyncs);

    /// <summary>Producer: a frame is about to be written at ring position <paramref name="position"/> (marked before
    /// its bytes are visible, so the output never plays past a frame whose mark it has not seen).</summary>
    public void Arrived(long position, in FrameStamp stamp)
    {
        if (stamp.HasPresentationTime && !_active)
        {
            _active = true;
        }

        _marks.TryAdd(new PresentationMark(position, stamp));
    }

    /// <summary>
    /// Consumer: fills <paramref name="buffer"/> (whole sample frames), whose first sample the output presents at
    /// <paramref name="presentationLocalUs"/> on our clock. Returns the bytes filled: the whole buffer, unless the
    /// stream is <paramref name="completed"/> and everything has been played.
    /// </summary>
    public int Read(Span<byte> buffer, long presentationLocalUs, bool completed)
    {
        int frames = buffer.Length / _blockAlign;
        long presentationServerUs = presentationLocalUs + _offset.OffsetMicroseconds;
        if (_playing)
        {
            if (!TryHead(out long head))
            {
                return Underrun(buffer, 0, completed);
            }

            long late = presentationServerUs - head;
            Volatile.Write(ref _lastLateUs, late);
            if (Math.Abs(late) <= ResyncMicroseconds)
            {
                int adjust = Math.Clamp(_controller.Update(late, frames), -frames / 8, frames / 8);
                int needed = (frames + adjust) * _blockAlign;
                if (_ring.Count >= needed)
                {
                    long from = _ring.ReadPosition;
                    SampleSlips.Read(_ring, buffer, adjust, _blockAlign);
                    Played(from, frames + adjust, presentationServerUs, 0, (double)frames / (frames + adjust));
                    return buffer.Length;
                }

                long start = _ring.ReadPosition;
                int count = _ring.Read(buffer[..(_ring.Count - (_ring.Count % _blockAlign))]);
                Played(start, count / _blockAlign, presentationServerUs, 0, 1);
                return Underrun(buffer, count, completed);
            }

            // Far off (an underrun's gap, a jump in the offset estimate): place playout again, audibly but once.
            _playing = false;
            Interlocked.Increment(ref _resyncs);
        }

        return Start(buffer, frames, presentationServerUs, completed);
    }

    /// <summary>Consumer, for a buffer that is not following presentation times (an older server): logs the frames
    /// that began in ring bytes [<paramref name="from"/>, <paramref name="to"/>), the block presented at
    /// <paramref name="presentationLocalUs"/>.</summary>
    public void LogPlayed(long from, long to, int frames, long presentationLocalUs)
    {
        long inputFrames = (to - from) / _blockAlign;
        LogMarks(from, to, presentationLocalUs + _offset.OffsetMicroseconds, 0, inputFrames > 0 ? (double)frames / inputFrames : 1);
    }

    private int Start(Span<byte> buffer, int frames, long presentationServerUs, bool completed)
    {
        if (_offset.Samples < ExchangesBeforePlacing || _ring.Count < _blockAlign || !TryHead(out long head))
        {
            // No settled mapping onto the sender's clock yet, or nothing to place: wait in silence.
            return Silent(buffer, 0, completed);
        }

        long late = presentationServerUs - head;
        if (late > 0)
        {
            // Audio whose time has passed is dropped to the sample, so the next sample plays on time.
            long skipFrames = (long)Math.Round(late / _microsecondsPerFrame);
            int skip = (int)Math.Min(skipFrames * _blockAlign, _ring.Count - (_ring.Count % _blockAlign));
            _ring.Skip(skip);
            _accounting.DroppedLate(_ring.ReadPosition);
            _ring.SpaceFreed();
            if (_ring.Count < _blockAlign || !TryHead(out head))
            {
                return Silent(buffer, 0, completed);
            }

            late = presentationServerUs - head;
        }

        long leadFrames = (long)Math.Round(-late / _microsecondsPerFrame);
        Volatile.Write(ref _lastLateUs, late);
        if (leadFrames >= frames)
        {
            return Silent(buffer, 0, completed);
        }

        int lead = (int)Math.Max(0, leadFrames) * _blockAlign;
        Silence.Fill(buffer[..lead], _format.Encoding);
        _playing = true;
        _controller.Restart();
        long start = _ring.ReadPosition;
        int available = Math.Min(buffer.Length - lead, _ring.Count - (_ring.Count % _blockAlign));
        int count = _ring.Read(buffer.Slice(lead, available));
        Played(start, count / _blockAlign, presentationServerUs, lead / _blockAlign, 1);
        return lead + count == buffer.Length ? buffer.Length : Underrun(buffer, lead + count, completed);
    }

    /// <summary>The presentation time of the next sample to play (at the ring's read position), on the sender's clock.</summary>
    private bool TryHead(out long headUs)
    {
        long position = _ring.ReadPosition;
        while (_marks.TryPeek(out var mark) && mark.Position <= position)
        {
            Adopt(mark);
            if (mark.Position == position)
            {
                // It starts right here: it is logged when it plays.
                break;
            }

            // Dropped (late) before it played: no log row.
            _marks.Take();
        }

        headUs = _hasAnchor ? _anchorTimeUs + (long)Math.Round((position - _anchorPosition) / _blockAlign * _microsecondsPerFrame) : 0;
        return _hasAnchor;
    }

    private void Adopt(in PresentationMark mark)
    {
        if (mark.Stamp.HasPresentationTime)
        {
            _anchorPosition = mark.Position;
            _anchorTimeUs = mark.Stamp.PresentationTimeUs;
            _hasAnchor = true;
        }
    }

    private void Played(long from, int inputFrames, long presentationServerUs, int leadFrames, double outputPerInput)
    {
        if (inputFrames == 0)
        {
            return;
        }

        long to = from + ((long)inputFrames * _blockAlign);
        LogMarks(from, to, presentationServerUs, leadFrames, outputPerInput);
        _accounting.Played(inputFrames, _ring.ReadPosition);
        _ring.SpaceFreed();
    }

    private void LogMarks(long from, long to, long presentationServerUs, int leadFrames, double outputPerInput)
    {
        while (_marks.TryPeek(out var mark) && mark.Position < to)
        {
            Adopt(mark);
            _marks.Take();
            if (mark.Position >= from && _log is not null)
            {
                double outputFrame = leadFrames + ((mark.Position - from) / _blockAlign * outputPerInput);
                _log.Played(mark.Stamp.Sequence, mark.Stamp.Timestamp, presentationServerUs + (long)Math.Round(outputFrame * _microsecondsPerFrame));
            }
        }
    }

    private int Underrun(Span<byte> buffer, int filled, bool completed)
    {
        Silence.Fill(buffer[filled..], _format.Encoding);
        if (completed)
        {
            return filled;
        }

        // Ran dry while playing: the next block places playout again (the audio that missed its time is dropped).
        _accounting.Underrun();
        _playing = false;
        return buffer.Length;
    }

    private int Silent(Span<byte> buffer, int filled, bool completed)
    {
        Silence.Fill(buffer[filled..], _format.Encoding);
        return completed && _ring.Count < _blockAlign ? filled : buffer.Length;
    }
}
