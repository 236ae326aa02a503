using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Streamer.Protocol;

/// <summary>
/// Reads frames from a pipe. Each frame's payload stays a slice of the pipe's buffer, valid until the next
/// <see cref="ReadAsync"/>. Several frames that arrived together are returned without another read.
/// With a <see cref="MinDataRate"/>, a frame that has started must keep coming at that rate, or the read throws
/// <see cref="FrameRateException"/>.
/// </summary>
public sealed class FrameReader
{
    private readonly PipeReader _reader;
    private readonly long _maxFrameLength;
    private readonly MinDataRate? _minRate;
    private readonly TimeProvider _time;
    private readonly ITimer? _rateTimer;
    private ReadOnlySequence<byte> _buffer;
    private bool _holdsBuffer;
    private bool _completed;
    private bool _anyFrame;
    private bool _inFrame;
    private long _frameStartTicks;
    private long _frameBytes;
    private volatile bool _rateTimerFired;

    /// <summary>Reads frames from <paramref name="reader"/>, refusing frames longer than <paramref name="maxFrameLength"/>; with <paramref name="minRate"/>, a started frame must keep coming at that rate (timed by <paramref name="time"/>, the system clock by default).</summary>
    public FrameReader(PipeReader reader, long maxFrameLength = FrameParser.DefaultMaxFrameLength, MinDataRate? minRate = null, TimeProvider? time = null)
    {
        _reader = reader;
        _maxFrameLength = maxFrameLength;
        _minRate = minRate;
        _time = time ?? TimeProvider.System;
        if (minRate is not null)
        {
            // One timer for the reader's life, armed only while a read waits for the rest of a started frame.
            _rateTimer = _time.CreateTimer(static s => ((FrameReader)s!).OnRateDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The frame returned by the last successful read.</summary>
    public Frame Current { get; private set; }

    /// <summary>For <see cref="FrameReadOutcome.TooLarge"/>: the length the peer announced, unsigned as sent.</summary>
    public ulong AnnouncedLength { get; private set; }

    /// <summary>
    /// When the first thing the peer sent was not a frame but looked like another protocol (an HTTP request, a
    /// TLS ClientHello, an HTTP response): which. Set with a <see cref="FrameReadOutcome.TooLarge"/>,
    /// <see cref="FrameReadOutcome.Malformed"/> or <see cref="FrameReadOutcome.Truncated"/> outcome.
    /// </summary>
    public ForeignProtocol Foreign { get; private set; }

    /// <summary>Waits for the next whole frame (then in <see cref="Current"/>) or the end of the input; the previous frame's payload is invalid afterwards.</summary>
    /// <exception cref="FrameRateException">A started frame came slower than the minimum data rate.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FrameReadOutcome> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_holdsBuffer)
            {
                var status = FrameParser.TryRead(ref _buffer, _maxFrameLength, out var frame, out ulong announced);
                switch (status)
                {
                    case FrameReadStatus.Frame:
                        Current = frame;
                        _anyFrame = true;
                        _inFrame = false;
                        return FrameReadOutcome.Frame;
                    case FrameReadStatus.TooLarge:
                        AnnouncedLength = announced;
                        Identify();
                        Release();
                        return FrameReadOutcome.TooLarge;
                    case FrameReadStatus.Malformed:
                        Identify();
                        Release();
                        return FrameReadOutcome.Malformed;
                }

                bool empty = _buffer.IsEmpty;
                long pending = _buffer.Length;
                if (_completed && !empty)
                {
                    // Fewer bytes than a frame, then the end: a short TLS alert, say.
                    Identify();
                }

                Release();
                if (_completed)
                {
                    return empty ? FrameReadOutcome.End : FrameReadOutcome.Truncated;
                }

                CheckRate(empty, pending);
            }
            else if (_completed)
            {
                return FrameReadOutcome.End;
            }

            ReadResult result;
            bool armed = ArmRateTimer();
            try
            {
                result = await _reader.ReadAsync(cancellationToken);
            }
            finally
            {
                if (armed)
                {
                    _rateTimer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }
            }

            _buffer = result.Buffer;
            _holdsBuffer = true;
            // A cancel from our own rate timer is not the end of the input: the loop re-checks the rate.
            bool ownCancel = result.IsCanceled && _rateTimerFired;
            _rateTimerFired = false;
            _completed = result.IsCompleted || (result.IsCanceled && !ownCancel);
        }
    }

    /// <summary>Between frames the clock stops; inside one, a frame that has fallen behind the rate ends the read.</summary>
    private void CheckRate(bool betweenFrames, long received)
    {
        if (_minRate is null)
        {
            return;
        }

        if (betweenFrames)
        {
            _inFrame = false;
            return;
        }

        long now = _time.GetTimestamp();
        _frameBytes = received;
        if (!_inFrame)
        {
            _inFrame = true;
            _frameStartTicks = now;
            return;
        }

        var elapsed = _time.GetElapsedTime(_frameStartTicks, now);
        if (elapsed >= _minRate.Allowed(received))
        {
            throw new FrameRateException(string.Create(CultureInfo.InvariantCulture, $"sent {received} bytes of a frame in {elapsed.TotalSeconds:0.#} s, slower than the minimum of {_minRate}"));
        }
    }

    /// <summary>Arms the rate timer for the frame in progress, if any; returns whether it did.</summary>
    private bool ArmRateTimer()
    {
        if (_rateTimer is null || !_inFrame)
        {
            return false;
        }

        var left = _minRate!.Allowed(_frameBytes) - _time.GetElapsedTime(_frameStartTicks);
        _rateTimerFired = false;
        _rateTimer.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return true;
    }

    private void OnRateDeadline()
    {
        _rateTimerFired = true;
        try
        {
            _reader.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The reader already completed: nothing waits any more.
        }
    }

    private void Identify()
    {
        if (!_anyFrame)
        {
            Foreign = ForeignProtocols.Identify(_buffer);
        }
    }

    private void Release()
    {
        // Consumed up to the unparsed remainder, examined everything: the next read waits for new bytes.
        _reader.AdvanceTo(_buffer.Start, _buffer.End);
        _holdsBuffer = false;
    }
}
