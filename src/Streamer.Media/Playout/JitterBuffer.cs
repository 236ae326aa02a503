using System.Buffers;

namespace Streamer.Media.Playout;

/// <summary>
/// Holds decoded audio between the network and a clocked output (a sound card). The receive loop writes frames
/// in; the output's callback pulls them out (unclocked outputs such as files do not need a buffer: see
/// <see cref="Outputs.UnclockedOutputSink"/>). A composition of five parts, one job each: the storage and
/// back-pressure (<see cref="PlayoutRing"/>), the buffering/playing/underrun states and late drops
/// (<see cref="PlayoutStateMachine"/>), the target delay (an <see cref="ITargetDelayPolicy"/> chosen by name,
/// see <see cref="TargetDelayPolicies"/>), the drift corrector's sample slips (<see cref="DriftCorrector"/>) and
/// the statistics (<see cref="PlayoutAccounting"/>). This class only wires them and converts ms to bytes.
/// Single producer, single consumer, lock-free; clocked reads never allocate or block.
/// A stream whose frames carry presentation times (a server that schedules playout) is played by a
/// <see cref="PresentationScheduler"/> instead of the target delay: every sample at its time, the clocks' drift
/// slewed away; the target, states and drift corrector then only serve streams without them (older servers).
/// </summary>
public sealed class JitterBuffer : IPlayoutSource, IPcmSink
{
    private const int MinCapacityBytes = 64 * 1024;

    private readonly PlayoutRing _ring;
    private readonly PlayoutStateMachine _state;
    private readonly ITargetDelayPolicy _policy;
    private readonly DriftCorrector _drift;
    private readonly PlayoutAccounting _accounting;
    private readonly IPlaybackClock _clock;
    private readonly PresentationScheduler _presentation;
    private readonly bool _synchronize;
    private readonly bool _driftCompensation;
    private readonly int _blockAlign;
    private readonly double _bytesPerMillisecond;
    private volatile bool _completed;
    private volatile int _targetBytes;
    private volatile int _frameBytes;
    private volatile int _blockBytes;
    private long _lastArrivalUs;

    /// <summary>A buffer for <paramref name="format"/>, bounded and steered by <paramref name="options"/>, counting into <paramref name="stats"/>; <paramref name="log"/> records each frame played.</summary>
    public JitterBuffer(AudioFormat format, JitterBufferOptions options, PlaybackStats stats, IPlayoutLog? log = null)
        : this(format, options, stats, SystemPlaybackClock.Instance, log)
    {
    }

    /// <summary>
    /// A buffer on a clock of the caller's (<c>bench replay</c> plays a recorded trace through it on a simulated
    /// clock, without waiting): <paramref name="nowMicroseconds"/> must run on the frames' send-time scale
    /// (<see cref="Protocol.WallClock"/>'s µs) for the latency figures to mean send-to-playout.
    /// </summary>
    public JitterBuffer(AudioFormat format, JitterBufferOptions options, PlaybackStats stats, Func<long> nowMicroseconds, IPlayoutLog? log = null)
        : this(format, options, stats, new FuncPlaybackClock(nowMicroseconds), log)
    {
    }

    internal JitterBuffer(AudioFormat format, JitterBufferOptions options, PlaybackStats stats, IPlaybackClock clock, IPlayoutLog? log = null)
    {
        Format = format;
        _clock = clock;
        _blockAlign = format.BlockAlign;
        _bytesPerMillisecond = format.BytesPerSecond / 1000.0;
        _driftCompensation = options.DriftCompensation;
        _policy = options.CreatePolicy();
        Strategy = TargetDelayPolicies.BaseName(options.Strategy);
        _targetBytes = BytesFor(_policy.TargetMilliseconds);
        _state = new PlayoutStateMachine(_blockAlign);
        _drift = new DriftCorrector(format.SampleRate, _blockAlign);
        _accounting = new PlayoutAccounting(stats, clock);
        int capacity = Math.Max(BytesFor(_policy.MaximumMilliseconds) * 2, BytesFor(options.CapacityMilliseconds));
        // Whole frames must always fit: a sender may use frames up to 16 KiB even where that is seconds of audio
        // (8 kHz mono 8-bit), so the ring never goes below a few of them.
        _ring = new PlayoutRing(Math.Max(Math.Max(capacity, _blockAlign * 2), MinCapacityBytes));
        _synchronize = options.Synchronize;
        _presentation = new PresentationScheduler(format, _ring, _accounting, stats.ClockOffset, log);
    }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>The jitter strategy's registered name ("fixed", "adaptive"), as the stats report it.</summary>
    public string Strategy { get; }

    /// <summary>True once the producer completed and everything was played.</summary>
    public bool IsCompleted => _completed && _ring.Count == 0;

    /// <summary>Buffered audio in ms.</summary>
    public double DepthMilliseconds => _ring.Count / _bytesPerMillisecond;

    /// <summary>The delay the buffer aims to hold, in ms.</summary>
    public double TargetMilliseconds => _targetBytes / _bytesPerMillisecond;

    /// <summary>Estimated drift of the sender's clock against the output's, in ppm (0 while not correcting).</summary>
    public double DriftPpm => Synchronized ? _presentation.DriftPpm : _drift.DriftPpm;

    /// <summary>True when playout follows the frames' presentation times (the server sends them and
    /// <see cref="JitterBufferOptions.Synchronize"/> is on).</summary>
    public bool Synchronized => _synchronize && _presentation.Active;

    /// <summary>Synchronized playout: how late the latest block started against its schedule, in µs.</summary>
    public long SyncErrorMicroseconds => _presentation.LateMicroseconds;

    /// <summary>Synchronized playout: times it was placed on its schedule again after a large error.</summary>
    public long Resyncs => _presentation.Resyncs;

    /// <summary>The arrival jitter the target follows, in ms (0 for a strategy that measures none).</summary>
    public double JitterMilliseconds => _policy.JitterMilliseconds;

    internal double SmoothedDepthMilliseconds => _drift.SmoothedDepthMilliseconds;

    internal PlayoutState State => _state.State;

    /// <summary>Producer: appends one decoded frame, or returns false if it does not fit yet (await <see cref="WaitForSpaceAsync"/>).</summary>
    public bool TryWrite(ReadOnlySpan<byte> pcm, long sendTimeUs)
    {
        long start = _ring.TryWrite(pcm);
        if (start < 0)
        {
            return false;
        }

        AfterWrite(start, pcm.Length, sendTimeUs);
        return true;
    }

    /// <summary>Producer: appends one frame with its stamp (sequence, media time, presentation time), or returns
    /// false if it does not fit yet.</summary>
    public bool TryWrite(in ReadOnlySequence<byte> pcm, in FrameStamp stamp)
    {
        if (_ring.FreeSpace < pcm.Length)
        {
            return false;
        }

        // The mark goes in before the bytes: the output never plays a frame whose mark it has not seen.
        _presentation.Arrived(_ring.WritePosition, stamp);
        long start = _ring.TryWrite(pcm);
        AfterWrite(start, (int)pcm.Length, stamp.SendTimeUs);
        return true;
    }

    /// <summary>Producer: appends one frame that may span several buffers (PCM straight from the network).</summary>
    public bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs)
    {
        long start = _ring.TryWrite(pcm);
        if (start < 0)
        {
            return false;
        }

        AfterWrite(start, (int)pcm.Length, sendTimeUs);
        return true;
    }

    /// <summary>Producer: waits until at least <paramref name="bytes"/> fit (or the frame can never fit).</summary>
    public ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken) => _ring.WaitForSpaceAsync(bytes, cancellationToken);

    /// <summary>Producer: no more frames will come.</summary>
    public void Complete()
    {
        _completed = true;
    }

    /// <summary>Wakes any waiter so it can observe cancellation.</summary>
    public void Wake() => _ring.SpaceFreed();

    /// <inheritdoc/>
    public int Read(Span<byte> buffer)
    {
        int count = _ring.Read(buffer[..(buffer.Length - (buffer.Length % _blockAlign))]);
        AfterRead(count);
        return count;
    }

    /// <inheritdoc/>
    public int ReadClocked(Span<byte> buffer) => ReadClocked(buffer, _clock.NowMicroseconds());

    /// <summary>Fills <paramref name="buffer"/> with audio that will be heard at <paramref name="presentationLocalUs"/> (local clock, µs).</summary>
    public int ReadClocked(Span<byte> buffer, long presentationLocalUs)
    {
        buffer = buffer[..(buffer.Length - (buffer.Length % _blockAlign))];
        if (buffer.Length != _blockBytes)
        {
            _blockBytes = buffer.Length;
        }

        bool completed = _completed;
        if (_synchronize && _presentation.Active)
        {
            return _presentation.Read(buffer, presentationLocalUs, completed);
        }

        long from = _ring.ReadPosition;
        int filled = ReadByTarget(buffer, completed);
        _presentation.LogPlayed(from, _ring.ReadPosition, filled / _blockAlign, presentationLocalUs);
        return filled;
    }

    private int ReadByTarget(Span<byte> buffer, bool completed)
    {
        if (!_state.IsPlaying && !TryStartPlaying(completed))
        {
            Silence.Fill(buffer, Format.Encoding);
            _state.PlayedSilence(buffer.Length);
            return buffer.Length;
        }

        int frames = buffer.Length / _blockAlign;
        int adjust = 0;
        if (_driftCompensation && !completed)
        {
            double sinceArrivalMs = (_clock.NowMicroseconds() - Volatile.Read(ref _lastArrivalUs)) / 1000.0;
            adjust = _drift.Plan(DepthMilliseconds, sinceArrivalMs, _frameBytes / _bytesPerMillisecond, TargetMilliseconds, frames);
        }

        int needed = (frames + adjust) * _blockAlign;
        if (_ring.Count >= needed)
        {
            _drift.Read(_ring, buffer, adjust);
            AfterRead(needed);
            return buffer.Length;
        }

        int count = Read(buffer);
        Silence.Fill(buffer[count..], Format.Encoding);
        if (completed)
        {
            return count;
        }

        _accounting.Underrun();
        _state.RanDry(buffer.Length - count);
        return buffer.Length;
    }

    private bool TryStartPlaying(bool completed)
    {
        if (!_state.TryStart(_ring.Count, _targetBytes, completed, out int lateBytes))
        {
            return false;
        }

        if (lateBytes > 0)
        {
            _ring.Skip(lateBytes);
            _accounting.DroppedLate(_ring.ReadPosition);
            _ring.SpaceFreed();
        }

        _drift.Restart();
        return true;
    }

    private void AfterWrite(long start, int length, long sendTimeUs)
    {
        long now = _clock.NowMicroseconds();
        _accounting.Arrived(start, sendTimeUs, now);
        Volatile.Write(ref _lastArrivalUs, now);
        if (length != _frameBytes)
        {
            _frameBytes = length;
        }

        _policy.Observe(new FrameArrival(now, (long)(start / _bytesPerMillisecond * 1000), length / _bytesPerMillisecond, _blockBytes / _bytesPerMillisecond));
        int target = BytesFor(_policy.TargetMilliseconds);
        if (target != _targetBytes)
        {
            _targetBytes = target;
        }
    }

    private void AfterRead(int count)
    {
        if (count == 0)
        {
            return;
        }

        _accounting.Played(count / _blockAlign, _ring.ReadPosition);
        _ring.SpaceFreed();
    }

    private int BytesFor(double milliseconds)
        => Math.Max(_blockAlign, (int)Math.Round(milliseconds * _bytesPerMillisecond / _blockAlign) * _blockAlign);
}
