using System.Buffers;
using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Metrics;

namespace Streamer.Streaming.Send;

/// <summary>
/// One listener of a <see cref="Broadcast"/>: the stream info, a burst of recent frames, then every new frame as it is
/// published. While it waits at the live edge ("parked") the broadcast's fan-out sends each new frame to it at once
/// (<see cref="TrySendAtOnce"/>); otherwise it is woken, and its loop sends everything between its cursor and the live
/// edge through the connection's queue in one flush. While a flush waits (the socket is full) the broadcast goes on
/// without it, and a listener found more than <see cref="Broadcast.MaxLagFrames"/> behind skips to the newest frame (a
/// sequence gap the receiver conceals). Its memory is its connection's buffers and this object.
/// </summary>
internal sealed class BroadcastListener : SendCounts, IEncodedFrames
{
    private static readonly StatusMessage LiveStatus = new(StatusMessage.Live);
    private static readonly StatusMessage StalledStatus = new(StatusMessage.Stalled);

    // Who may move the cursor: the loop (Running), nobody while the loop waits (Parked), or the fan-out for the length
    // of one send (Claimed). The loop leaves Parked only by taking it back from Parked, so the two never overlap.
    private const int Running = 0;
    private const int Parked = 1;
    private const int Claimed = 2;

    private readonly Broadcast _broadcast;
    private readonly SessionOutput _output;
    private readonly FrameSender _sender;
    private readonly object? _transport;
    private readonly AsyncSignal _wake = new(runContinuationsAsynchronously: false);
    private FrameRing _ring = null!;
    private long _cursor;
    private long _edge;
    private int _state;
    private int _statusSent;

    public BroadcastListener(Broadcast broadcast, SessionOutput output)
    {
        _broadcast = broadcast;
        _output = output;
        _sender = output.Sender;
        _transport = output.Transport;
        // The counts live in this object, which the fan-out's send touches anyway: one cache line less per frame.
        output.KeepCountsIn(this);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _broadcast.Started.WaitAsync(cancellationToken);
        if (_broadcast.Failure is { } failure)
        {
            throw new IOException(failure);
        }

        var sender = _output.Sender;
        await SessionOutput.SendOrThrowAsync(sender.SendAsync(_broadcast.Info, cancellationToken));
        _ring = _broadcast.Ring;
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), _wake);
        // Join at the live edge, with the burst before it.
        _cursor = Math.Max(_ring.Oldest, _ring.Next - _broadcast.BurstFrames);
        // A listener that joins a stalled broadcast is told at once; one that joins a live one needs no status.
        _statusSent = _broadcast.IsStalled ? _broadcast.StatusVersion - 1 : _broadcast.StatusVersion;
        _broadcast.Join(this);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A change of state goes before the audio still to send: "live" precedes the first frame after a stall
                // (the broadcast marks it live before publishing), and "stalled" comes a whole stall period after the
                // last frame, which a listener that keeps up has long been sent.
                int version = _broadcast.StatusVersion;
                if (version != _statusSent)
                {
                    _statusSent = version;
                    await SessionOutput.SendOrThrowAsync(sender.SendAsync(_broadcast.IsStalled ? StalledStatus : LiveStatus, cancellationToken));
                }

                long edge = _ring.Next;
                if (_cursor < edge)
                {
                    if (edge - _cursor > _broadcast.MaxLagFrames)
                    {
                        SkipTo(edge - 1);
                    }

                    _edge = edge;
                    _output.BeginSend();
                    await SessionOutput.SendOrThrowAsync(sender.SendEncodedAsync(this, cancellationToken));
                    _output.EndSend();
                    continue;
                }

                if (_broadcast.Ended)
                {
                    if (_ring.Next > _cursor)
                    {
                        continue;
                    }

                    break;
                }

                // Parked: from here the fan-out sends new frames itself. A frame (or a change) that came between the
                // checks above and parking found this loop running and woke it; it is caught here instead of waited for.
                Volatile.Write(ref _state, Parked);
                if (_ring.Next > Volatile.Read(ref _cursor) || _broadcast.StatusVersion != _statusSent || _broadcast.Ended || cancellationToken.IsCancellationRequested)
                {
                    Unpark();
                    continue;
                }

                await _wake.WaitAsync();
                Unpark();
            }
        }
        finally
        {
            _broadcast.Leave(this);
        }

        if (_broadcast.Failure is { } lateFailure)
        {
            throw new IOException(lateFailure);
        }

        await SessionOutput.SendOrThrowAsync(sender.SendAsync(new EndOfStreamMessage(FramesSent, SamplesSent, _broadcast.EndSequence), cancellationToken));
    }

    /// <summary>
    /// The fan-out's offer of frame <paramref name="index"/> (the one just published), on the producer's thread: sent
    /// at once when this listener is parked at exactly that frame, has no status to send first, and its connection
    /// takes it without queueing. False when it was not sent: the caller wakes this listener instead.
    /// </summary>
    public bool TrySendAtOnce(long index, ReadOnlySpan<byte> frame, int payloadLength, long samples)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Parked) != Parked)
        {
            return false;
        }

        bool sent = false;
        try
        {
            if (_cursor == index && _statusSent == _broadcast.StatusVersion && _sender.TrySendEncodedNow(frame))
            {
                _cursor = index + 1;
                FramesSent++;
                SamplesSent += samples;
                BytesSent += payloadLength;
                sent = true;
            }
        }
        finally
        {
            Volatile.Write(ref _state, Parked);
        }

        return sent;
    }

    /// <summary>Prefetches the other two objects <see cref="TrySendAtOnce"/> touches (read this one's fields first: the
    /// fan-out prefetched it a listener earlier).</summary>
    public void PrefetchSendPath()
    {
        CachePrefetch.Object(_sender);
        CachePrefetch.Object(_transport);
    }

    /// <summary>Wakes the loop (a frame it must send itself, a status, the end, or cancellation).</summary>
    public void Wake() => _wake.Set();

    /// <summary>Takes the cursor back from the fan-out; waits out a send in progress on another thread (one system call).</summary>
    private void Unpark()
    {
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _state, Running, Parked) != Parked)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Writes every frame from the cursor to the edge seen when the send began (under the sender's gate).</summary>
    void IEncodedFrames.WriteTo(IBufferWriter<byte> output)
    {
        while (_cursor < _edge)
        {
            if (!_ring.TryCopy(_cursor, output, out int payloadLength, out long samples))
            {
                // Overwritten: this listener was lapped (it stalled longer than the ring holds). Newest frame next.
                long newest = _ring.Next - 1;
                if (newest <= _cursor)
                {
                    return;
                }

                SkipTo(newest);
                _edge = newest + 1;
                continue;
            }

            FramesSent++;
            SamplesSent += samples;
            BytesSent += payloadLength;
            ServerMetrics.FramesSent.Add(1);
            ServerMetrics.BytesSent.Add(payloadLength);
            _cursor++;
        }
    }

    private void SkipTo(long index)
    {
        long skipped = index - _cursor;
        FramesDropped += skipped;
        ServerMetrics.FramesSkipped.Add(skipped);
        StreamingLog.DroppedToCatchUp(_output.Logger, _output.Remote, skipped * _broadcast.Info.FrameSamples * 1000.0 / _broadcast.Info.SampleRate, (int)skipped);
        _cursor = index;
    }
}
