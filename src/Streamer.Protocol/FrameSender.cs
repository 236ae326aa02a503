using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using MessagePack;
using Streamer.Protocol.Threading;
using Streamer.Transport;

namespace Streamer.Protocol;

/// <summary>
/// Writes whole frames to a pipe from any number of tasks; one frame is written and flushed at a time.
/// Audio frames go straight into the pipe's memory; control payloads pass through a reused scratch buffer.
/// </summary>
public sealed class FrameSender : IDisposable
{
    private readonly PipeWriter _output;
    private readonly IImmediateSend? _immediate;
    // One frame at a time, in order; uncontended, taking and leaving it is one interlocked instruction each.
    private AsyncGate _gate = AsyncGate.Create();
    private readonly ArrayBufferWriter<byte> _scratch = new(512);
    // Set under the gate by CompleteAsync (see EnterToWriteAsync).
    private bool _completed;

    /// <summary>Writes frames to <paramref name="output"/>.</summary>
    public FrameSender(PipeWriter output)
        : this(output, null)
    {
    }

    /// <summary>
    /// Writes frames to <paramref name="output"/>, and lets <see cref="TrySendEncodedNow"/> hand them to
    /// <paramref name="immediate"/> (the same connection's <see cref="IImmediateSend"/>, or null when it has none).
    /// </summary>
    public FrameSender(PipeWriter output, IImmediateSend? immediate)
    {
        _output = output;
        _immediate = immediate;
    }

    /// <summary>
    /// Sends one frame that is already encoded, header and all, at once on this thread and straight from
    /// <paramref name="frame"/>: only when no other send holds this sender and the connection has nothing queued.
    /// True when the frame is on its way (all of it taken, or the part the transport did not take queued behind it);
    /// false when nothing was sent (send it the usual way). Never waits. A broadcast's fan-out uses it: a listener that
    /// keeps up costs one system call per frame and no copy, no task, no wake-up.
    /// </summary>
    public bool TrySendEncodedNow(ReadOnlySpan<byte> frame)
    {
        if (_immediate is null || !_gate.TryEnter())
        {
            return false;
        }

        bool release = true;
        try
        {
            if (_completed)
            {
                return false;
            }

            int sent = _immediate.TrySendNow(frame);
            if (sent <= 0)
            {
                return false;
            }

            if (sent < frame.Length)
            {
                // The transport's buffer filled up mid-frame: the rest goes first in the (empty) output queue, so nothing
                // can come between, and the connection sends it when the peer has read.
                _output.Write(frame[sent..]);
                var flush = _output.FlushAsync(CancellationToken.None);
                if (!flush.IsCompleted)
                {
                    // Only a frame larger than the queue's bound waits here: the gate is held until it is in.
                    release = false;
                    _ = ReleaseAfterAsync(flush);
                }
                else
                {
                    _ = flush.Result;
                }
            }

            return true;
        }
        finally
        {
            if (release)
            {
                _gate.Exit();
            }
        }
    }

    private async Task ReleaseAfterAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The connection failed: the next send through the gate finds it closed and says so.
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Takes the gate for a write. False, with the gate left free, once <see cref="CompleteAsync"/> has ended the output:
    /// a send that was already waiting (a pong to a ping read just before the end) then returns false instead of writing
    /// to a completed pipe, which throws.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> EnterToWriteAsync(CancellationToken cancellationToken)
    {
        await _gate.EnterAsync(cancellationToken);
        if (!_completed)
        {
            return true;
        }

        _gate.Exit();
        return false;
    }

    /// <summary>Sends a control message; returns false when the peer is gone.</summary>
    public async ValueTask<bool> SendAsync(IControlMessage message, CancellationToken cancellationToken = default)
    {
        if (!await EnterToWriteAsync(cancellationToken))
        {
            return false;
        }

        try
        {
            _scratch.ResetWrittenCount();
            var writer = new MessagePackWriter(_scratch);
            message.Write(ref writer);
            writer.Flush();
            FrameWriter.Write(_output, FrameHeader.Control(message.Kind), _scratch.WrittenSpan);
            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Sends a frame with an empty payload (e.g. ping).</summary>
    public async ValueTask<bool> SendEmptyAsync(FrameKind kind, CancellationToken cancellationToken = default)
    {
        if (!await EnterToWriteAsync(cancellationToken))
        {
            return false;
        }

        try
        {
            FrameWriter.Write(_output, FrameHeader.Control(kind), ReadOnlySpan<byte>.Empty);
            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Sends an audio frame whose payload is a slice of another pipe (no intermediate copy). With
    /// <paramref name="flush"/> false the frame may wait in the pipe until <see cref="FlushThreshold"/> bytes
    /// are pending (bulk transfers: fewer, larger socket writes); live streams flush every frame.
    /// </summary>
    public ValueTask<bool> SendAudioAsync(uint sequence, ulong timestamp, ReadOnlySequence<byte> payload, bool flush = true, CancellationToken cancellationToken = default)
        => SendAudioAsync(sequence, timestamp, FrameHeader.NoPresentationTime, payload, flush, cancellationToken);

    /// <summary>
    /// Sends an audio frame with its presentation time on our wall clock (<see cref="FrameHeader.PresentationTimeUs"/>;
    /// <see cref="FrameHeader.NoPresentationTime"/> for none), otherwise as the overload without it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAudioAsync(uint sequence, ulong timestamp, long presentationTimeUs, ReadOnlySequence<byte> payload, bool flush = true, CancellationToken cancellationToken = default)
    {
        if (!await EnterToWriteAsync(cancellationToken))
        {
            return false;
        }

        try
        {
            FrameWriter.Write(_output, new FrameHeader(FrameKind.Audio, sequence, timestamp, WallClock.NowMicroseconds(), presentationTimeUs), payload);
            if (!flush && _output.UnflushedBytes < FlushThreshold)
            {
                return true;
            }

            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Writes frames that are already encoded, header and all (a broadcast's shared frames: one encoding, copied to
    /// every listener), then flushes. <paramref name="batch"/> writes synchronously, under the same gate as every
    /// other frame, so a pong never lands inside one of them. Returns false when the peer is gone.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendEncodedAsync(IEncodedFrames batch, CancellationToken cancellationToken = default)
    {
        if (!await EnterToWriteAsync(cancellationToken))
        {
            return false;
        }

        try
        {
            batch.WriteTo(_output);
            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Bytes that may wait unflushed when a caller sends without flushing.</summary>
    public const int FlushThreshold = 64 * 1024;

    /// <summary>Ends the output after any frame being written; later sends return false.</summary>
    public async ValueTask CompleteAsync()
    {
        await _gate.EnterAsync();
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            await _output.CompleteAsync();
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Releases nothing today (the gate needs no disposal) but stays part of the contract; the pipe is not
    /// completed (its owner does that).</summary>
    public void Dispose()
    {
    }
}
