using System.Buffers;
using Streamer.Protocol.Threading;

namespace Streamer.Media.Playout;

/// <summary>
/// Holds decoded audio between the network and a clocked output (a sound card). The receive loop writes frames
/// in; the output's callback pulls them out (unclocked outputs such as files do not need a buffer: see
/// <see cref="Outputs.UnclockedOutputSink"/>). Clocked reads start once the target delay is buffered, keep the buffer at its target against clock drift
/// (<see cref="DriftController"/>), and on an underrun play silence, then drop the audio whose playout time
/// passed meanwhile (late frames) beyond what refills the target, so latency stays bounded.
/// Adaptive mode moves the target with the measured arrival jitter (<see cref="JitterEstimator"/>).
/// Single producer, single consumer, lock-free; clocked reads never allocate or block.
/// </summary>
internal sealed class JitterBuffer : IPlayoutSource, IPcmSink
{
    private const double SafetyMilliseconds = 2;
    private const int MinCapacityBytes = 64 * 1024;

    private readonly ByteRing _ring;
    private readonly TimingRing _timings;
    // Signalled from the output's thread, which may be an audio callback: the receive loop must not run there.
    private readonly AsyncSignal _spaceAvailable = new(runContinuationsAsynchronously: true);
    private readonly PlaybackStats _stats;
    private readonly IPlaybackClock _clock;
    private readonly JitterBufferOptions _options;
    private readonly JitterEstimator? _estimator;
    private readonly DriftController _drift;
    private readonly int _blockAlign;
    private readonly double _bytesPerMillisecond;
    private volatile bool _completed;
    private volatile int _targetBytes;
    private volatile int _frameBytes;
    private volatile int _blockBytes;
    private long _lastArrivalUs;

    // Consumer-only state.
    private bool _playing;
    private bool _started;
    private long _debtBytes;

    public JitterBuffer(AudioFormat format, JitterBufferOptions options, PlaybackStats stats)
        : this(format, options, stats, SystemPlaybackClock.Instance)
    {
    }

    internal JitterBuffer(AudioFormat format, JitterBufferOptions options, PlaybackStats stats, IPlaybackClock clock)
    {
        Format = format;
        _options = options;
        _stats = stats;
        _clock = clock;
        _blockAlign = format.BlockAlign;
        _bytesPerMillisecond = format.BytesPerSecond / 1000.0;
        _targetBytes = BytesFor(options.Mode == JitterMode.Fixed ? options.TargetMilliseconds : options.MinMilliseconds);
        _estimator = options.Mode == JitterMode.Adaptive ? new JitterEstimator(options.MaxMilliseconds) : null;
        _drift = new DriftController(format.SampleRate);
        int capacity = Math.Max(BytesFor(options.LargestTargetMilliseconds) * 2, BytesFor(options.CapacityMilliseconds));
        // Whole frames must always fit: a sender may use frames up to 16 KiB even where that is seconds of audio
        // (8 kHz mono 8-bit), so the ring never goes below a few of them.
        _ring = new ByteRing(Math.Max(Math.Max(capacity, _blockAlign * 2), MinCapacityBytes));
        _timings = new TimingRing(4096);
    }

    public AudioFormat Format { get; }

    public JitterMode Mode => _options.Mode;

    public bool IsCompleted => _completed && _ring.Count == 0;

    /// <summary>Buffered audio in ms.</summary>
    public double DepthMilliseconds => _ring.Count / _bytesPerMillisecond;

    /// <summary>The delay the buffer aims to hold, in ms.</summary>
    public double TargetMilliseconds => _targetBytes / _bytesPerMillisecond;

    /// <summary>Estimated drift of the sender's clock against the output's, in ppm (0 while not correcting).</summary>
    public double DriftPpm => _drift.DriftPpm;

    /// <summary>The arrival jitter the adaptive target follows, in ms (0 in fixed mode).</summary>
    public double JitterMilliseconds => _estimator?.JitterMilliseconds ?? 0;

    internal double SmoothedDepthMilliseconds => _drift.SmoothedDepthMilliseconds;

    /// <summary>Producer: appends one decoded frame, or returns false if it does not fit yet (await <see cref="WaitForSpaceAsync"/>).</summary>
    public bool TryWrite(ReadOnlySpan<byte> pcm, long sendTimeUs)
    {
        if (pcm.Length > _ring.FreeSpace)
        {
            return false;
        }

        long start = _ring.WritePosition;
        _ring.TryWrite(pcm);
        AfterWrite(start, pcm.Length, sendTimeUs);
        return true;
    }

    /// <summary>Producer: appends one frame that may span several buffers (PCM straight from the network).</summary>
    public bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs)
    {
        if (pcm.Length > _ring.FreeSpace)
        {
            return false;
        }

        long start = _ring.WritePosition;
        _ring.TryWrite(pcm);
        AfterWrite(start, (int)pcm.Length, sendTimeUs);
        return true;
    }

    /// <summary>Producer: waits until at least <paramref name="bytes"/> fit (or the frame can never fit).</summary>
    public async ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytes > _ring.Capacity)
        {
            throw new InvalidOperationException($"a frame of {bytes} bytes can never fit a jitter buffer of {_ring.Capacity} bytes");
        }

        while (_ring.FreeSpace < bytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _spaceAvailable.WaitAsync();
        }
    }

    /// <summary>Producer: no more frames will come.</summary>
    public void Complete()
    {
        _completed = true;
    }

    /// <summary>Wakes any waiter so it can observe cancellation.</summary>
    public void Wake()
    {
        _spaceAvailable.Set();
    }

    public int Read(Span<byte> buffer)
    {
        int count = _ring.Read(buffer[..(buffer.Length - (buffer.Length % _blockAlign))]);
        AfterRead(count);
        return count;
    }

    public int ReadClocked(Span<byte> buffer)
    {
        buffer = buffer[..(buffer.Length - (buffer.Length % _blockAlign))];
        if (buffer.Length != _blockBytes)
        {
            _blockBytes = buffer.Length;
        }

        bool completed = _completed;
        if (!_playing && !TryStartPlaying(completed))
        {
            Silence.Fill(buffer, Format.Encoding);
            if (_started)
            {
                _debtBytes += buffer.Length;
            }

            return buffer.Length;
        }

        int frames = buffer.Length / _blockAlign;
        int adjust = 0;
        if (_options.DriftCompensation && !completed)
        {
            double deadBand = (_frameBytes / _bytesPerMillisecond / 2) + 1;
            adjust = Math.Clamp(_drift.Update(ContinuousDepthMilliseconds(), TargetMilliseconds, deadBand, frames), -frames / 8, frames / 8);
        }

        int needed = (frames + adjust) * _blockAlign;
        if (_ring.Count >= needed)
        {
            ReadAdjusted(buffer, frames, adjust);
            AfterRead(needed);
            return buffer.Length;
        }

        int count = Read(buffer);
        Silence.Fill(buffer[count..], Format.Encoding);
        if (completed)
        {
            return count;
        }

        _stats.AddUnderrun();
        _debtBytes += buffer.Length - count;
        _playing = false;
        return buffer.Length;
    }

    // Audio arrives a packet at a time, so the plain depth is a sawtooth, and sampling it at the device's block
    // times aliases (the sampled mean jumps by up to half a packet as the two clocks' phases slide). Counting the
    // part of the newest packet that a steady stream would not have delivered yet takes the sawtooth out.
    private double ContinuousDepthMilliseconds()
    {
        double frameMs = _frameBytes / _bytesPerMillisecond;
        double sinceArrivalMs = (_clock.NowMicroseconds() - Volatile.Read(ref _lastArrivalUs)) / 1000.0;
        return DepthMilliseconds + Math.Clamp(sinceArrivalMs, 0, frameMs) - (frameMs / 2);
    }

    private bool TryStartPlaying(bool completed)
    {
        int available = _ring.Count;
        int target = _targetBytes;
        if (available < target && !completed)
        {
            return false;
        }

        // Audio that should have played during the silence is late: drop it, but keep what refills the target.
        long late = Math.Min(_debtBytes, Math.Max(0, available - target));
        if (late > 0)
        {
            DropLate((int)(late - (late % _blockAlign)));
        }

        _debtBytes = 0;
        _playing = true;
        _started = true;
        _drift.Restart();
        return true;
    }

    // Drops (adjust > 0) or repeats (adjust < 0) single sample frames, spread evenly through the block.
    private void ReadAdjusted(Span<byte> buffer, int frames, int adjust)
    {
        if (adjust == 0)
        {
            _ring.Read(buffer);
            return;
        }

        int steps = Math.Abs(adjust);
        int segmentFrames = (adjust > 0 ? frames : frames - steps) / (steps + 1);
        int position = 0;
        for (int i = 0; i < steps; i++)
        {
            int bytes = segmentFrames * _blockAlign;
            _ring.Read(buffer.Slice(position, bytes));
            position += bytes;
            if (adjust > 0)
            {
                _ring.Skip(_blockAlign);
            }
            else
            {
                buffer.Slice(position - _blockAlign, _blockAlign).CopyTo(buffer.Slice(position, _blockAlign));
                position += _blockAlign;
            }
        }

        _ring.Read(buffer[position..]);
    }

    private void DropLate(int bytes)
    {
        _ring.Skip(bytes);
        long position = _ring.ReadPosition;
        while (_timings.TryTakeBefore(position, out _))
        {
            _stats.AddLate();
        }

        _spaceAvailable.Set();
    }

    private void AfterWrite(long start, int length, long sendTimeUs)
    {
        long now = _clock.NowMicroseconds();
        _timings.TryAdd(new FrameTiming(start, sendTimeUs, now));
        Volatile.Write(ref _lastArrivalUs, now);
        if (length != _frameBytes)
        {
            _frameBytes = length;
        }

        if (_estimator is not null)
        {
            _estimator.Add(now, (long)(start / _bytesPerMillisecond * 1000));
            UpdateTarget(_estimator.JitterMilliseconds);
        }

    }

    private void AfterRead(int count)
    {
        if (count == 0)
        {
            return;
        }

        _stats.AddPlayed(count / _blockAlign);
        long now = _clock.NowMicroseconds() + _stats.ClockOffset.OffsetMicroseconds;
        long position = _ring.ReadPosition;
        while (_timings.TryTakeBefore(position, out var timing))
        {
            _stats.Latency.Record(now - timing.SendTimeUs);
        }

        _spaceAvailable.Set();
    }

    private void UpdateTarget(double jitterMs)
    {
        // Audio arrives in packet-sized steps and leaves in device blocks: half of each is headroom the depth
        // swings through even on a perfect network.
        double granularity = (_frameBytes + _blockBytes) / _bytesPerMillisecond / 2;
        double target = Math.Clamp(jitterMs + granularity + SafetyMilliseconds, _options.MinMilliseconds, _options.MaxMilliseconds);
        int bytes = BytesFor(target);
        if (bytes != _targetBytes)
        {
            _targetBytes = bytes;
        }
    }

    private int BytesFor(double milliseconds)
        => Math.Max(_blockAlign, (int)Math.Round(milliseconds * _bytesPerMillisecond / _blockAlign) * _blockAlign);
}
