using System.Buffers;
using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Metrics;

namespace Streamer.Streaming.Send;

/// <summary>
/// One listener of a <see cref="Broadcast"/>: the stream info, a burst of recent frames, then every new frame as it is
/// published, copied from the shared ring into the connection. Woken by the broadcast, it sends everything between its
/// cursor and the live edge in one flush; while a flush waits (the socket is full) the broadcast goes on without it,
/// and a listener found more than <see cref="Broadcast.MaxLagFrames"/> behind skips to the newest frame (a sequence
/// gap the receiver conceals). Its memory is its connection's buffers and this object.
/// </summary>
internal sealed class BroadcastListener : IEncodedFrames
{
    private static readonly StatusMessage LiveStatus = new(StatusMessage.Live);
    private static readonly StatusMessage StalledStatus = new(StatusMessage.Stalled);

    private readonly Broadcast _broadcast;
    private readonly SessionOutput _output;
    private readonly AsyncSignal _wake = new(runContinuationsAsynchronously: false);
    private FrameRing _ring = null!;
    private long _cursor;
    private long _edge;

    public BroadcastListener(Broadcast broadcast, SessionOutput output)
    {
        _broadcast = broadcast;
        _output = output;
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
        _broadcast.Add(_wake);
        try
        {
            // Join at the live edge, with the burst before it.
            _cursor = Math.Max(_ring.Oldest, _ring.Next - _broadcast.BurstFrames);
            // A listener that joins a stalled broadcast is told at once; one that joins a live one needs no status.
            int statusSent = _broadcast.IsStalled ? _broadcast.StatusVersion - 1 : _broadcast.StatusVersion;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A change of state goes before the audio still to send: "live" precedes the first frame after a stall
                // (the broadcast marks it live before publishing), and "stalled" comes a whole stall period after the
                // last frame, which a listener that keeps up has long been sent.
                int version = _broadcast.StatusVersion;
                if (version != statusSent)
                {
                    statusSent = version;
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

                await _wake.WaitAsync();
            }
        }
        finally
        {
            _broadcast.Remove(_wake);
        }

        if (_broadcast.Failure is { } lateFailure)
        {
            throw new IOException(lateFailure);
        }

        await SessionOutput.SendOrThrowAsync(sender.SendAsync(new EndOfStreamMessage(_output.FramesSent, _output.SamplesSent, _broadcast.EndSequence), cancellationToken));
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

            _output.FramesSent++;
            _output.SamplesSent += samples;
            _output.BytesSent += payloadLength;
            ServerMetrics.FramesSent.Add(1);
            ServerMetrics.BytesSent.Add(payloadLength);
            _cursor++;
        }
    }

    private void SkipTo(long index)
    {
        long skipped = index - _cursor;
        _output.FramesDropped += skipped;
        ServerMetrics.FramesSkipped.Add(skipped);
        StreamingLog.DroppedToCatchUp(_output.Logger, _output.Remote, skipped * _broadcast.Info.FrameSamples * 1000.0 / _broadcast.Info.SampleRate, (int)skipped);
        _cursor = index;
    }
}
